#!/usr/bin/env bash
# The end-to-end harnesses (docs/benchmarks.md).
#
#   bench/run-e2e.sh tpch [--sf 0.01] [--set four|tpch22] [--transactions N] ...
#       The TPC-H harness: `./trickle run` as a user runs it over the repository's TPC-H generator;
#       prints one `figure <name> <value> <unit>` line per figure. Always rebuilds first (stale jars
#       measure old code); BENCH_NO_BUILD=1 skips that.
#   bench/run-e2e.sh --rows 20000 --changes 5000 --epochs off
#       The in-process harness io.trickle.bench.EndToEnd (demo tables, one JVM). Builds the
#       benchmarks module if its jar is missing.
#   BENCH_MAIN=io.trickle.bench.SinkComparison bench/run-e2e.sh --rows 50000
#       The sink comparison.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/benchmarks/target/benchmarks.jar"

build() {
  # Offline first (a warm ~/.m2); online when something is missing. Packages every module the
  # benchmarks depend on, including cli/target/trickle-cli.jar and cli/target/lib for ./trickle.
  (cd "$here" && { mvn -o -B -q -pl benchmarks -am package -DskipTests 2>/dev/null \
    || mvn -B -q -pl benchmarks -am package -DskipTests; }) >&2
}

if [[ "${1:-}" == "tpch" ]]; then
  shift
  if [[ "${BENCH_NO_BUILD:-}" != "1" ]]; then
    echo "bench: building (mvn -pl benchmarks -am package -DskipTests)..." >&2
    build
  fi
  exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$jar" io.trickle.bench.TpchEndToEnd --home "$here" "$@"
fi

if [[ ! -f "$jar" ]]; then
  build
fi
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "$jar" "${BENCH_MAIN:-io.trickle.bench.EndToEnd}" "$@"
