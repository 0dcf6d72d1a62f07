#!/usr/bin/env python3
"""Strata's fleet run vs a shell loop of `strata apply-all`, a Flyway CE loop and psql, on N fresh databases.

For each tool, N fresh databases are created (TEMPLATE template0), the bundled migrations
(src/main/resources/db/migrations, number order) are applied to all of them, and the whole
wall time is measured; then the no-op fleet run (everything up to date) against one no-op
`apply-all --url`. Printed: seconds, ratios, Strata's peak RSS (wait4) and the peak number of
`application_name = 'strata'` sessions seen by a probe in pg_stat_activity. The databases are
dropped at the end.

  (a) loop    one `bin/strata apply-all --url URL` per database, one after another
  (b) flyway  one JVM, `Flyway.migrate()` per database, one after another (Flyway CE 13.12,
              scripts/bench/FlywayLoop.java, the same files renamed V<N>__<name>.sql)
  (c) psql    `psql -f each file` per database, --parallel at a time (the floor)
  fleet       one `bin/strata apply-all --targets FILE --parallel P`

With --schemas, only the fleet runs (fresh and no-op), over N schemas of one database
(schema-per-tenant: `URL schema=NAME` lines), to measure RSS and sessions at large N cheaply;
tenants that share a database take the migration lock one after another.

usage: scripts/fleet-benchmark.py [-n 40] [--parallel 4] [--schemas] [--skip-loop] [--host 127.0.0.1]
                                  [--port 5432] [--user postgres]
Needs psql, python3, java, a built target/strata.jar (./mvnw package) and a PostgreSQL server on
which the user may CREATE DATABASE; the Flyway runner is built from ../shared/bench/flyway-runner
into target/bench on first use (Maven Central or ~/.m2). Do not run it at large N on a shared machine.
"""
import argparse
import glob
import shutil
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


SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
WORK = os.path.join(ROOT, "target", "bench")


def flyway_loop_command():
    """Builds (once) the Flyway CE runner's classpath and FlywayLoop; returns the java command prefix."""
    runner = os.path.join(WORK, "flyway-runner")
    lib = os.path.join(runner, "target", "lib")
    if not os.path.isdir(lib):
        log("building the Flyway CE runner's classpath")
        shutil.rmtree(runner, ignore_errors=True)
        shutil.copytree(os.path.join(SHARED, "flyway-runner"), runner)
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-f", os.path.join(runner, "pom.xml"), "package"],
                       check=True)
    classes = os.path.join(WORK, "flyway-loop")
    if not os.path.exists(os.path.join(classes, "FlywayLoop.class")):
        os.makedirs(classes, exist_ok=True)
        subprocess.run(["javac", "-d", classes, "-cp", os.path.join(lib, "*"),
                        os.path.join(ROOT, "scripts", "bench", "FlywayLoop.java")], check=True)
    return ["java", "-cp", classes + ":" + os.path.join(lib, "*"), "FlywayLoop"]


def flyway_folder():
    """The bundled migrations renamed for Flyway: 007_x.sql -> V007__x.sql (same SQL)."""
    d = tempfile.mkdtemp(prefix="strata-fleetbench-flyway-")
    for f in MIGRATIONS:
        number, rest = os.path.basename(f).split("_", 1)
        shutil.copy(f, os.path.join(d, f"V{number}__{rest}"))
    return d


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("-n", type=int, default=40)
    p.add_argument("--parallel", type=int, default=4)
    p.add_argument("--schemas", action="store_true", help="fleet only, over N schemas (of --schema-dbs databases)")
    p.add_argument("--schema-dbs", type=int, default=1, help="with --schemas: spread the schemas over this many "
                   "databases, listed round-robin so that running targets are in different databases")
    p.add_argument("--skip-loop", action="store_true", help="skip (a), the slowest run (N JVM starts)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=5432)
    p.add_argument("--user", default="postgres")
    args = p.parse_args()
    if not os.path.exists(os.path.join(ROOT, "target", "strata.jar")):
        raise SystemExit("target/strata.jar is missing; run ./mvnw -B package -DskipTests first")
    if args.schemas:
        return schemas(args)
    server = Server(args)
    prefix = f"strata_fleetbench_{os.getpid()}_"
    names = [f"{prefix}{i:04d}" for i in range(args.n)]
    targets = os.path.join(tempfile.mkdtemp(), "targets.txt")
    with open(targets, "w") as f:
        f.writelines(f"{server.url(n)} tenant_{n[-4:]}\n" for n in names)
    jdbc = os.path.join(os.path.dirname(targets), "jdbc.txt")
    with open(jdbc, "w") as f:
        f.writelines(f"jdbc:postgresql://{args.host}:{args.port}/{n}\n" for n in names)
    flyway_cmd = flyway_loop_command()
    flyway_dir = flyway_folder()
    loop = None
    try:
        if not args.skip_loop:
            log(f"(a) shell loop of strata apply-all --url over {args.n} databases")
            server.fresh(names)
            start = time.perf_counter()
            for name in names:
                run([STRATA, "apply-all", "--url", server.url(name)])
            loop = time.perf_counter() - start

        log(f"(b) Flyway CE migrate per database, one JVM")
        server.fresh(names)
        flyway, flyway_rss, _ = run(flyway_cmd + [flyway_dir, jdbc, args.user])

        log(f"(c) psql, {args.parallel} at a time")
        server.fresh(names)
        floor = psql_floor(server, names, args.parallel)

        log(f"fleet: strata apply-all --targets, --parallel {args.parallel}")
        server.fresh(names)
        probe = Probe(server, prefix)
        probe.start()
        fleet, rss, _ = run([STRATA, "apply-all", "--targets", targets, "--parallel", str(args.parallel)])
        peak = probe.stop()
        applied = server.psql("SELECT count(*) FROM schema_migrations", names[-1])

        log("no-op: fleet over all vs one database")
        probe = Probe(server, prefix)
        probe.start()
        noop_fleet, noop_rss, _ = run([STRATA, "apply-all", "--targets", targets, "--parallel", str(args.parallel)])
        noop_peak = probe.stop()
        noop_one, _, _ = run([STRATA, "apply-all", "--url", server.url(names[0])])
    finally:
        server.drop(names)
        os.remove(targets)
        os.remove(jdbc)
        shutil.rmtree(flyway_dir, ignore_errors=True)

    print(f"N = {args.n} databases, {len(MIGRATIONS)} migrations each ({applied} recorded), --parallel {args.parallel}")
    print(f"{'run':<40}{'seconds':>9}")
    if loop is not None:
        print(f"{'(a) loop of strata apply-all --url':<40}{loop:>9.2f}")
    print(f"{'(b) Flyway CE migrate per db, one JVM':<40}{flyway:>9.2f}   peak RSS {flyway_rss:.0f} MB")
    print(f"{'(c) psql, same parallelism':<40}{floor:>9.2f}")
    print(f"{'strata fleet':<40}{fleet:>9.2f}   peak RSS {rss:.0f} MB, peak strata sessions {peak}")
    print(f"{'no-op strata fleet':<40}{noop_fleet:>9.2f}   peak RSS {noop_rss:.0f} MB, peak strata sessions {noop_peak}")
    print(f"{'no-op single apply-all':<40}{noop_one:>9.2f}")
    if loop is not None:
        print(f"fleet / (a) loop   = {fleet / loop:.3f}   (goal <= 0.1)")
    print(f"fleet / (b) flyway = {fleet / flyway:.3f}   (goal <= 0.5)")
    print(f"fleet / (c) psql   = {fleet / floor:.3f}   (goal <= 1.25)")
    print(f"no-op fleet / no-op single = {noop_fleet / noop_one:.2f}   (goal < 2 at N = 200)")


def schemas(args):
    """The fleet alone over N schemas of fresh databases: time, peak RSS, peak sessions."""
    server = Server(args)
    prefix = f"strata_fleetbench_{os.getpid()}_"
    dbs = [f"{prefix}{d:03d}" for d in range(max(args.schema_dbs, 1))]
    names = [f"tenant_{i:04d}" for i in range(args.n)]
    home = {n: dbs[i % len(dbs)] for i, n in enumerate(names)}
    targets = os.path.join(tempfile.mkdtemp(), "targets.txt")
    with open(targets, "w") as f:
        f.writelines(f"{server.url(home[n])} schema={n} {n}\n" for n in names)
    try:
        server.fresh(dbs)
        for db in dbs:
            server.psql("".join(f"CREATE SCHEMA {n};" for n in names if home[n] == db), db)
        probe = Probe(server, prefix)
        probe.start()
        fleet, rss, _ = run([STRATA, "apply-all", "--targets", targets, "--parallel", str(args.parallel)])
        peak = probe.stop()
        applied = server.psql(f"SELECT count(*) FROM {names[-1]}.schema_migrations", home[names[-1]])
        probe = Probe(server, prefix)
        probe.start()
        noop, noop_rss, _ = run([STRATA, "apply-all", "--targets", targets, "--parallel", str(args.parallel)])
        noop_peak = probe.stop()
    finally:
        server.drop(dbs)
        os.remove(targets)
    print(f"N = {args.n} schemas in {len(dbs)} database(s), {len(MIGRATIONS)} migrations each ({applied} recorded), "
          f"--parallel {args.parallel}")
    print(f"{'strata fleet':<40}{fleet:>9.2f} s   peak RSS {rss:.0f} MB, peak strata sessions {peak}")
    print(f"{'no-op strata fleet':<40}{noop:>9.2f} s   peak RSS {noop_rss:.0f} MB, peak strata sessions {noop_peak}")


if __name__ == "__main__":
    main()
