#!/usr/bin/env bash
# Runs the operator-at-scale benchmark: ./bench/run-operator.sh [metrics] [streams] [changes]
# (default 1000 10 100; see bench/README.md). Builds the operator and local/ first, then compiles the
# benchmark (bench/local-stack/, package dev.pulse.local) against local/'s classpath and runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
"$root/mvnw" -q -f "$root/pom.xml" install -DskipTests -pl pipeline,operator,cli,local -am
cp="$root/local/target/pulse-local.jar:$root/local/target/lib/*"
out="$here/target/local-stack-classes"
rm -rf "$out" && mkdir -p "$out"
javac -nowarn -d "$out" -cp "$cp" "$here"/local-stack/dev/pulse/local/*.java
exec java -Xmx1g ${BENCH_JAVA_OPTS:-} -Dbench.root="$root" -cp "$out:$cp" dev.pulse.local.OperatorScaleBenchmark "$@"
