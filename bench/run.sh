#!/usr/bin/env bash
# Runs the pipeline benchmark: ./bench/run.sh [events] [parallelism]  (see bench/README.md)
# BENCH_MAIN picks another benchmark of this project (run-backfill.sh sets it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# the bench is a project of its own: it resolves pulse-pipeline, pulse-test-support and their parent
# from the local repository, so those are installed first (-am: with pulse-parent and pulse-api)
"$root/mvnw" -q -f "$root/pom.xml" install -DskipTests -pl pipeline,test-support -am
"$root/mvnw" -q -f "$here/pom.xml" clean package
opens="--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED --add-opens=java.base/java.math=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.security=ALL-UNNAMED --add-opens=java.sql/java.sql=ALL-UNNAMED"
exec java -Xmx2g ${BENCH_JAVA_OPTS:-} $opens -cp "$here/target/pulse-bench-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")" \
  "${BENCH_MAIN:-dev.pulse.bench.Benchmark}" "$@"
