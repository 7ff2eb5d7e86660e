# The slim pulse CLI (validate, compile, plan; no Flink) for a team's CI and pre-commit hooks.
# Build context: the repository root, after
#   ./mvnw -B -ntp package -pl cli-slim -am -DskipTests
# then: docker build -f images/cli.Dockerfile -t ghcr.io/pulse-dev/pulse-cli:<version> .
# Run it on a checkout of definitions: docker run --rm -v "$PWD:/work" ghcr.io/pulse-dev/pulse-cli:<version> validate -f definitions/
FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.21
COPY --chown=185 cli-slim/target/pulse-cli.jar /opt/pulse/pulse-cli.jar
# definitions are mounted here; the CLI writes nothing, so a read-only mount is fine
WORKDIR /work
USER 185
ENTRYPOINT ["java", "-jar", "/opt/pulse/pulse-cli.jar"]
