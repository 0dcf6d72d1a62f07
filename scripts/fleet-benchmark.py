#!/usr/bin/env python3
"""Strata's fleet run vs a shell loop of `strata apply-all --url` vs psql, on N fresh databases.

For each tool, N fresh databases are created (TEMPLATE template0), the bundled migrations
(src/main/resources/db/migrations, number order) are applied to all of them, and the whole
wall time is measured; then the no-op fleet run (everything up to date) against one no-op
`apply-all --url`. Printed: seconds, ratios, Strata's peak RSS (wait4) and the peak number of
`application_name = 'strata'` sessions seen by a probe in pg_stat_activity. The databases are
dropped at the end.

  (a) loop   one `bin/strata apply-all --url URL` per database, one after another
  (b) psql   `psql -f each file` per database, --parallel at a time (the floor)
  (c) fleet  one `bin/strata apply-all --targets FILE --parallel P`

usage: scripts/fleet-benchmark.py [-n 40] [--parallel 4] [--host 127.0.0.1] [--port 5432] [--user postgres]
Needs psql, python3, a built target/strata.jar (./mvnw package) and a PostgreSQL server on
which the user may CREATE DATABASE. Do not run it at large N on a shared machine.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STRATA = os.path.join(ROOT, "bin", "strata")
MIGRATIONS = sorted(glob.glob(os.path.join(ROOT, "src", "main", "resources", "db", "migrations", "*.sql")))


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run(cmd, check=True):
    """Runs cmd with output to files; returns (wall seconds, peak RSS MB, exit code)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if check and code != 0:
            err.seek(0)
            out.seek(0)
            raise SystemExit(f"{cmd[0]} exited {code}: {out.read().decode()[-2000:]}{err.read().decode()[-2000:]}")
        return wall, usage.ru_maxrss / 1024, code


class Server:
    def __init__(self, args):
        self.args = args

    def url(self, db):
        a = self.args
        return f"postgresql://{a.user}@{a.host}:{a.port}/{db}"

    def psql(self, sql, db="postgres"):
        a = self.args
        return subprocess.run(["psql", "-X", "-q", "-tA", "-h", a.host, "-p", str(a.port), "-U", a.user, "-d", db,
                               "-c", sql], check=True, capture_output=True, text=True).stdout.strip()

    def fresh(self, names):
        for name in names:
            self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self.psql(f"CREATE DATABASE {name} TEMPLATE template0")

    def drop(self, names):
        for name in names:
            self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class Probe(threading.Thread):
    """Peak count of Strata's sessions in the benchmark's databases, polled every 50 ms."""

    def __init__(self, server, prefix):
        super().__init__(daemon=True)
        self.server, self.prefix, self.peak, self.running = server, prefix, 0, True

    def run(self):
        while self.running:
            n = int(self.server.psql("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'strata' "
                                     f"AND datname LIKE '{self.prefix}%'"))
            self.peak = max(self.peak, n)
            time.sleep(0.05)

    def stop(self):
        self.running = False
        self.join()
        return self.peak


def psql_floor(server, names, parallel):
    a = server.args
    files = [arg for f in MIGRATIONS for arg in ("-f", f)]

    def one(name):
        subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", a.host, "-p", str(a.port), "-U", a.user,
                        "-d", name] + files, check=True, capture_output=True)

    start = time.perf_counter()
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(one, names))
    return time.perf_counter() - start


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=40)
    p.add_argument("--parallel", type=int, default=4)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--user", default="postgres")
    args = p.parse_args()
    if not os.path.exists(os.path.join(ROOT, "target", "strata.jar")):
        raise SystemExit("target/strata.jar is missing; run ./mvnw -B package -DskipTests first")
    server = Server(args)
    prefix = f"strata_fleetbench_{os.getpid()}_"
    names = [f"{prefix}{i:04d}" for i in range(args.n)]
    targets = os.path.join(tempfile.mkdtemp(), "targets.txt")
    with open(targets, "w") as f:
        f.writelines(f"{server.url(n)} tenant_{n[-4:]}\n" for n in names)
    try:
        log(f"(a) shell loop of strata apply-all --url over {args.n} databases")
        server.fresh(names)
        start = time.perf_counter()
        for name in names:
            run([STRATA, "apply-all", "--url", server.url(name)])
        loop = time.perf_counter() - start

        log(f"(b) psql, {args.parallel} at a time")
        server.fresh(names)
        floor = psql_floor(server, names, args.parallel)

        log(f"(c) strata fleet, --parallel {args.parallel}")
        server.fresh(names)
        probe = Probe(server, prefix)
        probe.start()
        fleet, rss, _ = run([STRATA, "apply-all", "--targets", targets, "--parallel", str(args.parallel)])
        peak = probe.stop()
        applied = server.psql("SELECT count(*) FROM schema_migrations", names[-1])

        log("no-op: fleet over all vs one database")
        noop_fleet, noop_rss, _ = run([STRATA, "apply-all", "--targets", targets, "--parallel", str(args.parallel)])
        noop_one, _, _ = run([STRATA, "apply-all", "--url", server.url(names[0])])
    finally:
        server.drop(names)
        os.remove(targets)

    print(f"N = {args.n} databases, {len(MIGRATIONS)} migrations each ({applied} recorded), --parallel {args.parallel}")
    print(f"{'run':<34}{'seconds':>9}")
    print(f"{'(a) loop of strata apply-all --url':<34}{loop:>9.2f}")
    print(f"{'(b) psql, same parallelism':<34}{floor:>9.2f}")
    print(f"{'(c) strata fleet':<34}{fleet:>9.2f}   peak RSS {rss:.0f} MB, peak strata sessions {peak}")
    print(f"{'no-op fleet':<34}{noop_fleet:>9.2f}   peak RSS {noop_rss:.0f} MB")
    print(f"{'no-op single apply-all':<34}{noop_one:>9.2f}")
    print(f"fleet / loop  = {fleet / loop:.3f}   (goal <= 0.1)")
    print(f"fleet / psql  = {fleet / floor:.3f}   (goal <= 1.25)")
    print(f"no-op fleet / no-op single = {noop_fleet / noop_one:.2f}   (goal < 2 at N = 200)")


if __name__ == "__main__":
    main()
