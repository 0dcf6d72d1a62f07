#!/bin/sh
# Trains the start-up archive of target/strata.jar for the JVM in JAVA_HOME (the JDK of the build):
# run by `./mvnw package` (pom.xml, maven-antrun-plugin execution start-up-archive) from the project
# directory, after the jar is complete. See docs/operations.md, "Start-up archive".
#
# The training run is what a user runs: `bin/strata apply-all` of the bundled migrations, on a
# throw-away database of a throw-away embedded PostgreSQL (`strata db start` with its data directory
# in target/, stopped and deleted afterwards). So the archive holds, loaded, verified and linked (and
# on Java 25 profiled), the classes of a run that connects, reads and writes the schema history and
# applies migrations: a no-op apply-all uses ~10 % less CPU than with an archive trained without a
# database (docs/benchmark.md). Where the embedded PostgreSQL cannot start (no binaries for this
# platform, no unprivileged user to run it as), the training falls back to a dry run against an
# address where nothing listens (catalog, scanner, the PG client and its error path), which needs
# no database and is expected to exit with 2.
#
# Nothing reaches the build's output but one line saying which training ran; everything the runs
# print is in target/strata-archive-training.log. Exit 0 when an archive was trained, 1 otherwise.

set -u
log=target/strata-archive-training.log
pgdir=target/archive-training-pg
: >"$log"

note() {
    printf '%s\n' "$*" >>"$log"
}

stop_server() {
    STRATA_APPCDS=off bin/strata db stop --data-dir "$pgdir" >>"$log" 2>&1
    rm -rf "$pgdir"
}

# A server left running by an interrupted build would keep its port with its files deleted.
if [ -d "$pgdir" ]; then
    stop_server
fi
note "== strata db start --data-dir $pgdir"
if url=$(STRATA_APPCDS=off bin/strata db start --data-dir "$pgdir" 2>>"$log") && [ -n "$url" ]; then
    trap stop_server EXIT
    trap 'exit 1' INT TERM
    note "== STRATA_APPCDS=create bin/strata apply-all --url $url"
    STRATA_APPCDS=create bin/strata apply-all --url "$url" >>"$log" 2>&1
    rc=$?
    if [ "$rc" = 0 ]; then
        echo "start-up archive trained by apply-all on an embedded PostgreSQL (see $log)"
        exit 0
    fi
    note "== apply-all on the embedded PostgreSQL exited with $rc; training without a database instead"
else
    rm -rf "$pgdir"
    note "== the embedded PostgreSQL did not start; training without a database instead"
fi

note "== STRATA_APPCDS=create bin/strata apply-all --dry-run --connect-timeout 0 --url postgresql://strata@127.0.0.1:1/strata"
STRATA_APPCDS=create STRATA_EMBEDDED=off bin/strata apply-all --dry-run --connect-timeout 0 \
    --url postgresql://strata@127.0.0.1:1/strata >>"$log" 2>&1
rc=$?
if [ "$rc" != 2 ]; then
    echo "the start-up archive's training run (bin/strata apply-all --dry-run) exited with $rc, not 2: see $log" >&2
    exit 1
fi
echo "start-up archive trained by a dry run without a database (see $log)"
