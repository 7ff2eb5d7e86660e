#!/usr/bin/env bash
# Runs the serving API latency benchmark: ./bench/run-serving.sh [rows...]  (see bench/README.md)
# Default rows: 100000 1000000. -Dbench.seconds (15), -Dbench.writeRate (200 rows/s) and
# -Dbench.directAbove (1000000) go in BENCH_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
# the bench is a project of its own: it resolves pulse-pipeline, pulse-test-support and their parent
# from the local repository, so those are installed first (-am: with pulse-parent and pulse-api)
"$root/mvnw" -q -f "$root/pom.xml" install -DskipTests -pl pipeline,test-support -am
# the API as the sources are now, and the bench compiled afresh against the installed modules
"$root/mvnw" -q -f "$root/pom.xml" package -DskipTests -pl serving
"$root/mvnw" -q -f "$here/pom.xml" clean package
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dbench.root="$root" \
  -cp "$here/target/pulse-bench-0.1.0-SNAPSHOT.jar:$(cat "$here/target/classpath.txt")" \
  dev.pulse.bench.ServingBenchmark "$@"
