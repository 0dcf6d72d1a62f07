#!/usr/bin/env bash
# Smoke test of what users run: bin/strata and target/strata.jar (the packaged uber-jar), not the
# test class path. For each Java runtime (the default java, and every JDK 25+ under /usr/lib/jvm,
# or the Java homes in $STRATA_SMOKE_JAVA_HOMES) on a scratch database of the server in
# $STRATA_SMOKE_URL (default: the local server):
#   - ./mvnw package left the start-up archive for the JDK that built it (checked once, for the
#     default runtime, which is the one that builds);
#   - STRATA_APPCDS=create apply-all --json applies the bundled migrations, prints valid JSON on
#     stdout (the JVM's own archive messages must not reach it) and writes the start-up archive
#     for that runtime (strata.jsa on Java 17-24, strata.aot on 25+);
#   - without an archive, or with one that is stale (made by another JVM, or older than the jar), a
#     plain run (no STRATA_APPCDS) prints valid JSON and leaves a fresh archive behind (Java 17 and
#     25+: the launcher's stamp <archive>.jvm; 19-24 do it themselves);
#   - with the archive: a second apply-all applies nothing, status --json lists every migration as
#     applied, --version prints the version (with picocli's classes from the archive), and none of
#     them writes anything to stderr (a JVM warning about the archive or sun.misc.Unsafe would);
#   - neither --version nor a no-op apply-all loads the HTTP server, Vert.x Web or the health
#     reporter's JSON provider (only serve does);
#   - serve answers /q/health/ready on $PORT: run-time settings (the port, strata.http.enabled) reach
#     the jar although application.properties is not in it; it is probed from the moment it
#     starts, as Fly.io's checks do, and must stop on SIGTERM.
# Prints one line per check and a total; exits 1 if any check failed.
#
#   scripts/launcher-smoke.sh          (builds target/strata.jar first if it is missing)
set -uo pipefail
cd "$(dirname "$0")/.."

base_url="${STRATA_SMOKE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
admin_url="$base_url"
passed=0
failed=0

log() { echo "launcher-smoke: $*" >&2; }
check() { # check NAME COMMAND...: runs the command, counts and prints the outcome
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
    echo "  ok    $name"
  else
    failed=$((failed + 1))
    echo "  FAIL  $name"
  fi
}

if [ ! -f target/strata.jar ]; then
  log "building target/strata.jar (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests || exit 1
fi
build_feature="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
build_archive=target/strata.jsa
[ "${build_feature:-0}" -ge 25 ] && build_archive=target/strata.aot
check "./mvnw package left the start-up archive $build_archive" test -s "$build_archive"
check "./mvnw package stamped it with the JVM that made it" test -s "$build_archive.jvm"

homes=()
if [ -n "${STRATA_SMOKE_JAVA_HOMES:-}" ]; then
  read -r -a homes <<<"$STRATA_SMOKE_JAVA_HOMES"
else
  homes+=("") # the default runtime: java on the PATH
  for release in /usr/lib/jvm/*/release; do
    [ -f "$release" ] || continue
    feature="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release")"
    if [ -n "$feature" ] && [ "$feature" -ge 25 ]; then
      homes+=("$(dirname "$release")")
    fi
  done
fi

db_url() { # db_url NAME: the base URL with its database replaced
  echo "${base_url%/*}/$1"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for home in "${homes[@]}"; do
  if [ -n "$home" ]; then
    export JAVA_HOME="$home"
    java="$home/bin/java"
  else
    unset JAVA_HOME
    java="$(command -v java)"
  fi
  version="$("$java" -version 2>&1 | head -1)"
  feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  archive=target/strata.jsa
  [ "${feature:-0}" -ge 25 ] && archive=target/strata.aot
  echo "$version (archive $archive)"

  db="strata_smoke_${feature:-x}"
  url="$(db_url "$db")"
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" >/dev/null 2>&1 \
    || { log "cannot create database $db via $admin_url"; exit 1; }

  rm -f "$archive"
  STRATA_APPCDS=create bin/strata apply-all --json --url "$url" >"$tmp/train.out" 2>"$tmp/train.err"
  check "training run: valid JSON on stdout, the 8 bundled migrations applied" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d.get("outcome") == "applied" and len(d.get("applied", [])) == 8 else 1)' "$tmp/train.out"
  check "training run writes $archive" test -s "$archive"

  first_run() { # first_run LABEL: a plain status --json must print valid JSON and leave a fresh archive
    bin/strata status --json --url "$url" >"$tmp/first.out" 2>"$tmp/first.err"
    check "$1: status --json prints valid JSON" python3 -c '
import json, sys
sys.exit(0 if json.load(open(sys.argv[1])).get("applied") == 8 else 1)' "$tmp/first.out"
    check "$1: the run leaves $archive, newer than the jar" test -s "$archive" -a "$archive" -nt target/strata.jar
  }
  rm -f "$archive" "$archive.jvm"
  first_run "no archive"
  if [ "${feature:-0}" -ge 25 ] || [ "${feature:-0}" -lt 19 ]; then
    check "no archive: the stamp names this JVM" grep -qF "$(dirname "$(dirname "$(readlink -f "$java")")")" "$archive.jvm"
    echo "/usr/lib/jvm/another-jdk 17.0.1+12" >"$archive.jvm"
    before="$(stat -c %Y.%i "$archive")"
    first_run "archive of another JVM"
    check "archive of another JVM: replaced" test "$(stat -c %Y.%i "$archive")" != "$before"
  fi
  sleep 1 && touch target/strata.jar # as if rebuilt
  first_run "archive older than the jar"

  bin/strata apply-all --url "$url" >"$tmp/noop.out" 2>"$tmp/noop.err"
  check "apply-all with the archive: nothing to do, exit 0" grep -q "No migration necessary" "$tmp/noop.out"
  check "apply-all with the archive: empty stderr" test ! -s "$tmp/noop.err"

  bin/strata status --json --url "$url" >"$tmp/status.json" 2>"$tmp/status.err"
  check "status --json: 8 applied, no pending" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d.get("applied") == 8 and d.get("pending") == 0 and d.get("upToDate") is True else 1)' "$tmp/status.json"
  check "status --json: empty stderr" test ! -s "$tmp/status.err"

  bin/strata --version >"$tmp/version.out" 2>"$tmp/version.err"
  check "--version prints the version" grep -q "^strata [0-9]" "$tmp/version.out"
  check "--version: empty stderr" test ! -s "$tmp/version.err"
  # picocli's classes come from the archive, not the jar: ./mvnw package re-targets them from Java 5
  # bytecode, which no start-up archive holds (src/build/UpgradeClassFiles.java, docs/operations.md)
  JAVA_OPTS="-Xlog:class+load=info:file=$tmp/classes.log" bin/strata --version >/dev/null 2>&1
  check "--version: picocli's classes come from the start-up archive" sh -c \
    'grep -q " picocli\.CommandLine " "$1" && ! grep " picocli\." "$1" | grep -q "source: file:"' _ "$tmp/classes.log"
  # only serve runs the HTTP server and the health reporter (dev.strata.serve.HttpService): no Vert.x Web,
  # no HTTP server, no JSON-P provider (SmallRye Health's reporter loads it when it is initialised)
  http_classes=' (io\.vertx\.ext\.web\.|io\.vertx\.core\.http\.impl\.HttpServerImpl |org\.eclipse\.parsson\.)'
  check "--version: no HTTP server or health reporter classes loaded" sh -c '! grep -qE "$2" "$1"' _ \
    "$tmp/classes.log" "$http_classes"
  JAVA_OPTS="-Xlog:class+load=info:file=$tmp/noop-classes.log" bin/strata apply-all --url "$url" >/dev/null 2>&1
  check "apply-all: no HTTP server or health reporter classes loaded" sh -c '! grep -qE "$2" "$1" && grep -q " io\.vertx\.core\." "$1"' \
    _ "$tmp/noop-classes.log" "$http_classes"

  port="$(free_port)"
  PORT="$port" bin/strata serve --url "$url" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  serve_pid=$!
  ready=1
  for _ in $(seq 1 100); do
    if curl -fsS --max-time 5 "http://127.0.0.1:$port/q/health/ready" >"$tmp/ready.json" 2>/dev/null; then
      ready=0
      break
    fi
    sleep 0.1
  done
  if [ "$ready" != 0 ]; then
    # for diagnosis: the last readiness answer while serve still runs, and what serve said
    curl -sS --max-time 5 "http://127.0.0.1:$port/q/health/ready" 2>&1 | tr -d ' \n' | head -c 800 | sed 's/^/    ready: /'; echo
    sed 's/^/    serve stderr: /' "$tmp/serve.err" | tail -20
  fi
  kill "$serve_pid" 2>/dev/null
  stopped=1
  for _ in $(seq 1 100); do
    if ! kill -0 "$serve_pid" 2>/dev/null; then
      stopped=0
      break
    fi
    sleep 0.1
  done
  [ "$stopped" = 0 ] || kill -9 "$serve_pid" 2>/dev/null
  wait "$serve_pid" 2>/dev/null
  check "serve answers /q/health/ready on \$PORT ($port)" test "$ready" = 0
  check "serve: status UP" grep -q '"status" *: *"UP"' "$tmp/ready.json"
  check "serve stops within 10 s of SIGTERM" test "$stopped" = 0

  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
done

echo "launcher smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
