# The Pulse serving API and dashboard page (Quarkus, JVM mode). Build context: the repository root, after
#   ./mvnw -B -ntp package -pl serving -am -DskipTests
# then: docker build -f images/serving.Dockerfile -t ghcr.io/pulse-dev/pulse-serving:<version> .
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21
ENV LANGUAGE='en_US:en' \
    JAVA_APP_JAR=/deployments/quarkus-run.jar \
    JAVA_OPTS_APPEND="-Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:MaxRAMPercentage=75"
COPY --chown=185 serving/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 serving/target/quarkus-app/*.jar /deployments/
COPY --chown=185 serving/target/quarkus-app/app/ /deployments/app/
COPY --chown=185 serving/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8080
USER 185
ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"]
