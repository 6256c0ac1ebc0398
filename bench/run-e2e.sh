#!/usr/bin/env bash
# The end-to-end harness (docs/benchmarks.md). Builds the benchmarks module if needed, then runs
# io.trickle.bench.EndToEnd with the given arguments, e.g.
#   bench/run-e2e.sh --rows 20000 --changes 5000 --epochs off
# BENCH_MAIN=io.trickle.bench.SinkComparison bench/run-e2e.sh --rows 50000 runs the sink comparison.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/benchmarks/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$here" && mvn -o -q -pl benchmarks -am package -DskipTests) >&2
fi
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$jar" "${BENCH_MAIN:-io.trickle.bench.EndToEnd}" "$@"
