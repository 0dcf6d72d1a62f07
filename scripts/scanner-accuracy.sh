#!/usr/bin/env bash
# Measures the SQL splitter and destructive-statement rules against the libpg_query oracle.
# Reads the corpus from ../shared/corpus (never copied into the repo), caches the oracle's
# per-statement output in target/pgparse-oracle, prints agreement figures and disagreements.
# Usage: scripts/scanner-accuracy.sh [--refresh-oracle]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$(cd "$root/../shared/corpus" && pwd)"
pgparse="$(cd "$root/../shared/tools" && pwd)/pgparse"
oracle="$root/target/pgparse-oracle"

if [ "${1:-}" = "--refresh-oracle" ]; then rm -rf "$oracle"; fi
if [ ! -f "$oracle/.complete" ]; then
  mkdir -p "$oracle"
  echo "running the oracle over $corpus (once; cached in $oracle)" >&2
  # same copy-data mode as groundtruth.jsonl: squawk's suite had its COPY data stripped
  (cd "$corpus" && for dir in */; do
     dir="${dir%/}"
     mode=()
     if [ "$dir" = squawk_regression_suite ]; then mode=(--copy-data=none); fi
     "$pgparse" --deep "${mode[@]}" "$dir"/*.sql > "$oracle/$dir.jsonl"
   done)
  touch "$oracle/.complete"
fi

cd "$root"
if [ ! -d target/test-classes/dev/strata/sql/bench ] || [ -n "$(find src/main/java/dev/strata/sql src/test/java/dev/strata/sql -newer target/test-classes/dev/strata/sql/bench -name '*.java' | head -1)" ]; then
  ./mvnw -B -q -o test-compile >&2 || ./mvnw -B -q test-compile >&2
fi
exec java -cp target/classes:target/test-classes dev.strata.sql.bench.ScannerAccuracy "$corpus" "$oracle"
