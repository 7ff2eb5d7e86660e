#!/usr/bin/env bash
# Runs the backfill benchmark (issue 12): ./bench/run-backfill.sh [records] [parallelism] [count|ten ...]
# (see bench/README.md). -Dbench.repeats (3), -Dbench.liveRate (500 events/s),
# -Dbench.checkpointMs (10000) and -Dbench.timeoutSeconds (600) go in BENCH_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
BENCH_MAIN=dev.pulse.bench.BackfillBenchmark exec "$here/run.sh" "$@"
