# The Pulse pipeline: the official Flink image with the job jar where the FlinkDeployment templates
# (pipeline-templates/default.yaml, jarURI local:///opt/flink/usrlib/pulse-pipeline.jar) expect it.
# Build context: the repository root, after
#   ./mvnw -B -ntp package -pl pipeline -am -Pflink-cluster -DskipTests
# then: docker build -f images/pipeline.Dockerfile --build-arg VERSION=<version> -t ghcr.io/pulse-dev/pulse-pipeline:<version> .
FROM flink:1.20.3-java17
ARG VERSION=0.1.0-SNAPSHOT
COPY --chown=flink:flink pipeline/target/pulse-pipeline-${VERSION}-job.jar /opt/flink/usrlib/pulse-pipeline.jar
USER flink
