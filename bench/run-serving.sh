#!/usr/bin/env bash
# Runs the serving API latency benchmark: ./bench/run-serving.sh [rows...]  (see bench/README.md)
# Default rows: 100000 1000000. -Dbench.seconds (15), -Dbench.writeRate (200 rows/s) and
# -Dbench.directAbove (1000000) go in BENCH_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [ ! -f "$root/serving/target/quarkus-app/quarkus-run.jar" ]; then
  "$root/mvnw" -o -q -f "$root/serving/pom.xml" package -DskipTests
fi
"$root/mvnw" -o -q -f "$root/api/pom.xml" install -DskipTests
"$root/mvnw" -o -q -f "$root/pipeline/pom.xml" install -DskipTests
"$root/mvnw" -o -q -f "$here/pom.xml" package
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dbench.root="$root" \
  -cp "$here/target/pulse-bench-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")" \
  dev.pulse.bench.ServingBenchmark "$@"
