#!/usr/bin/env bash
# Throughput of the SQL lexer + splitter + safety rules over ../shared/corpus on one thread.
# Usage: scripts/scanner-bench.sh [PASSES]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -d target/test-classes/dev/strata/sql/bench ] || [ -n "$(find src/main/java/dev/strata/sql src/test/java/dev/strata/sql -newer target/test-classes/dev/strata/sql/bench -name '*.java' | head -1)" ]; then
  ./mvnw -B -q -o test-compile >&2 || ./mvnw -B -q test-compile >&2
fi
exec java -cp target/classes:target/test-classes dev.strata.sql.bench.ScannerBench ../shared/corpus "${1:-10}"
