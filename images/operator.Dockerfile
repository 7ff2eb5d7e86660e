# The Pulse operator (Quarkus, JVM mode). Build context: the repository root, after
#   ./mvnw -B -ntp package -pl operator -am -DskipTests
# then: docker build -f images/operator.Dockerfile -t ghcr.io/pulse-dev/pulse-operator:<version> .
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21
ENV LANGUAGE='en_US:en' \
    JAVA_APP_JAR=/deployments/quarkus-run.jar \
    JAVA_OPTS_APPEND="-Djava.util.logging.manager=org.jboss.logmanager.LogManager -XX:MaxRAMPercentage=75"
# the fast-jar layout, dependencies first so they cache between builds
COPY --chown=185 operator/target/quarkus-app/lib/ /deployments/lib/
COPY --chown=185 operator/target/quarkus-app/*.jar /deployments/
COPY --chown=185 operator/target/quarkus-app/app/ /deployments/app/
COPY --chown=185 operator/target/quarkus-app/quarkus/ /deployments/quarkus/
EXPOSE 8080
# uid 185 (jboss) matches the chart's runAsUser; the root filesystem may be read-only (/tmp is a volume)
USER 185
ENTRYPOINT ["/opt/jboss/container/java/run/run-java.sh"]
