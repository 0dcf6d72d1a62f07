#!/usr/bin/env python3
"""Strata vs Flyway CE vs psql, side by side on one machine, in one run.

Measures whole-process wall time and peak RSS (getrusage of each child) for:
  1. fresh apply of N generated migrations: psql in one session (the floor), Flyway, Strata
  2. no-op apply with N applied (Flyway: migrate with nothing pending)
  3. status with N applied (Flyway: info)
at each N (default 200, 1000, 5000), plus Strata's start-up (--version) and the scanner's MB/s.
Strata is measured in two modes (--modes built,trained):
  built    target/strata.jar and the start-up archive exactly as `./mvnw package` leaves them
           (built with the --java-home JDK, so the archive is that JVM's), no training of our own:
           what a user runs after the README's main-job command;
  trained  a copy of the jar under target/bench/trained/ whose archive was trained by one apply-all
           of the bundled migrations on a scratch database (STRATA_APPCDS=create, see the README).
Tools alternate run by run (the order rotates each repetition); medians and the ratios
Strata/Flyway and Strata/psql are printed per mode, and everything is written to target/bench/results.json.

usage: scripts/benchmark.py [--sizes 200,1000,5000] [--repeats 5] [--big-repeats 3] [--url postgresql://...]
                           [--java-home /usr/lib/jvm/...] [--modes built,trained]
The corpus comes from ../shared/bench/gen_corpus.py, Flyway from ../shared/bench/flyway-runner
(built in target/bench/, never modified in place). Needs psql, python3 and a PostgreSQL server.
Both JVM tools run on the same Java runtime: --java-home (default: JAVA_HOME, else java on the PATH).
Strata runs through bin/strata with its start-up archive (AppCDS on Java 17-24, AOT cache on 25+).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from urllib.parse import urlparse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")
WORK = os.path.join(ROOT, "target", "bench")
TRAINED = os.path.join(WORK, "trained")
MODES = {"built": ROOT, "trained": TRAINED}  # mode -> STRATA_HOME


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def run(cmd, env=None, check=True):
    """Runs cmd; returns (wall seconds, peak RSS in MB, stdout)."""
    import tempfile
    # Output goes to files, not pipes: a tool that writes much to one stream (psql's NOTICEs)
    # must never block on a full pipe while we read the other.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        # wait4 gives this child's own rusage (ru_maxrss in KiB on Linux)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if check and proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{stdout[-2000:]}\n{stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0, stdout


class Server:
    def __init__(self, url):
        u = urlparse(url)
        self.host, self.port = u.hostname or "127.0.0.1", u.port or 5432
        self.user, self.password = u.username or "postgres", u.password or ""

    def psql(self, db, *args):
        env = dict(os.environ, PGPASSWORD=self.password)
        return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", self.host, "-p", str(self.port),
                               "-U", self.user, "-d", db, *args], check=True, env=env, capture_output=True, text=True)

    def fresh(self, name):
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", "-c",
                  f"CREATE DATABASE {name} TEMPLATE template0")
        return name

    def drop(self, name):
        self.psql("postgres", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def url(self, db):
        auth = self.user + (":" + self.password if self.password else "")
        return f"postgresql://{auth}@{self.host}:{self.port}/{db}"

    def jdbc(self, db):
        return f"jdbc:postgresql://{self.host}:{self.port}/{db}"


def prepare(sizes, server, java_env, modes):
    os.makedirs(WORK, exist_ok=True)
    log("building Strata (./mvnw package, which makes the start-up archive for the JDK that builds it)")
    subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "package", "-DskipTests"], cwd=ROOT, check=True,
                   env=java_env)
    if "trained" in modes:
        # Training run: the bundled migrations (not the benchmark's corpus) applied to a scratch
        # database, so that the archive holds the database client's classes as well. On a copy of
        # the jar, so that the built mode's archive stays as the build left it.
        os.makedirs(os.path.join(TRAINED, "target"), exist_ok=True)
        for name in os.listdir(os.path.join(TRAINED, "target")):
            os.remove(os.path.join(TRAINED, "target", name))
        shutil.copy(os.path.join(ROOT, "target", "strata.jar"), os.path.join(TRAINED, "target", "strata.jar"))
        scratch = server.fresh("strata_bench_train")
        subprocess.run([os.path.join(ROOT, "bin", "strata"), "apply-all", "--url", server.url(scratch)], cwd=ROOT,
                       env=dict(java_env, STRATA_APPCDS="create", STRATA_HOME=TRAINED), capture_output=True,
                       check=True)
        server.drop(scratch)
    runner = os.path.join(WORK, "flyway-runner")
    if not os.path.isdir(os.path.join(runner, "target", "lib")):
        log("building the Flyway CE runner")
        shutil.rmtree(runner, ignore_errors=True)
        shutil.copytree(os.path.join(SHARED, "flyway-runner"), runner)
        subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "-f", os.path.join(runner, "pom.xml"), "package"],
                       check=True)
    corpora = {}
    for n in sizes:
        for style in ("plain", "flyway"):
            d = os.path.join(WORK, f"corpus-{n}-{style}")
            if not os.path.isdir(d) or len(os.listdir(d)) != n:
                shutil.rmtree(d, ignore_errors=True)
                subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), str(n), d, "--style", style],
                               check=True, capture_output=True)
            corpora[(n, style)] = d
        driver = os.path.join(WORK, f"psql-{n}.sql")
        with open(driver, "w") as f:
            for name in sorted(os.listdir(corpora[(n, "plain")])):
                f.write("BEGIN;\n\\i '" + os.path.join(corpora[(n, "plain")], name) + "'\nCOMMIT;\n")
        corpora[(n, "psql")] = driver
    return runner, corpora


def strata(*args):
    return [os.path.join(ROOT, "bin", "strata"), *args]





JAVA = "java"


def flyway(runner, *args):
    return [JAVA, "-cp", os.path.join(runner, "target", "classes") + ":" + os.path.join(runner, "target", "lib", "*"),
            "bench.FlywayRun", *args]


def median(values):
    return statistics.median(values) if values else float("nan")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="200,1000,5000")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--big-repeats", type=int, default=3)
    p.add_argument("--url", default=os.environ.get("STRATA_BENCH_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))
    p.add_argument("--java-home", default=os.environ.get("JAVA_HOME"),
                   help="Java runtime for both Strata and Flyway, and the JDK that builds Strata "
                        "(default: JAVA_HOME, else java on the PATH)")
    p.add_argument("--modes", default="built,trained",
                   help="Strata's modes: built (as ./mvnw package leaves it), trained (archive trained on a database)")
    a = p.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    modes = [m for m in a.modes.split(",") if m]
    if not modes or any(m not in MODES for m in modes):
        raise SystemExit(f"--modes takes a comma-separated list of {', '.join(MODES)}")
    server = Server(a.url)
    global JAVA
    java_env = dict(os.environ)
    if a.java_home:
        JAVA = os.path.join(a.java_home, "bin", "java")
        java_env["JAVA_HOME"] = a.java_home
    else:
        java_env.pop("JAVA_HOME", None)
    java_version = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    log(f"Java runtime for both tools: {java_version}")
    runner, corpora = prepare(sizes, server, java_env, modes)
    results = {}  # (scenario, n, tool) -> [(wall, rss)]; tool: psql, flyway, strata-built, strata-trained
    mode_env = {m: dict(java_env, STRATA_HOME=MODES[m]) for m in modes}

    def record(key, sample):
        results.setdefault(key, []).append(sample)

    log("measuring Strata start-up (strata --version)")
    for _ in range(a.repeats):
        for m in modes:
            w, r, _ = run(strata("--version"), env=mode_env[m])
            record(("startup", 0, "strata-" + m), (w, r))

    for n in sizes:
        repeats = a.repeats if n <= 200 else a.big_repeats
        plain, fly = corpora[(n, "plain")], corpora[(n, "flyway")]
        tools = ["psql", "flyway"] + ["strata-" + m for m in modes]
        for rep in range(repeats):
            k = rep % len(tools)
            order = tools[k:] + tools[:k]
            log(f"N={n} repetition {rep + 1}/{repeats}: {' '.join(order)}")
            for tool in order:
                db = server.fresh(f"strata_bench_{tool.replace('-', '_')}")
                if tool == "psql":
                    env = dict(os.environ, PGPASSWORD=server.password)
                    w, r, _ = run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", server.host, "-p",
                                   str(server.port), "-U", server.user, "-d", db, "-f", corpora[(n, "psql")]], env=env)
                    record(("fresh", n, "psql"), (w, r))
                elif tool == "flyway":
                    args = (fly, server.jdbc(db), server.user, server.password)
                    record(("fresh", n, "flyway"), run(flyway(runner, "migrate", *args))[:2])
                    record(("noop", n, "flyway"), run(flyway(runner, "migrate", *args))[:2])
                    record(("status", n, "flyway"), run(flyway(runner, "info", *args))[:2])
                else:
                    env = mode_env[tool.split("-", 1)[1]]
                    args = ("--location", plain, "--url", server.url(db))
                    w, r, out = run(strata("apply-all", "--json", *args), env=env)
                    record(("fresh", n, tool), (w, r))
                    record(("fresh-internal", n, tool), (json.loads(out)["totalMs"] / 1000.0, r))
                    record(("noop", n, tool), run(strata("apply-all", *args), env=env)[:2])
                    record(("status", n, tool), run(strata("status", *args), env=env)[:2])
                server.drop(db)

    log("measuring the scanner (scripts/scanner-bench.sh)")
    scanner = subprocess.run(["bash", os.path.join(ROOT, "scripts", "scanner-bench.sh"), "5"], cwd=ROOT,
                             capture_output=True, text=True)
    scanner_line = next((l for l in scanner.stdout.splitlines() if l.startswith("lex+split+rules")), "n/a")

    med = {k: (median([s[0] for s in v]), median([s[1] for s in v])) for k, v in results.items()}
    print(f"\nJava runtime (both tools): {java_version}")
    rows = []
    startups = {}
    for m in modes:
        rows += report(m, med, sizes, startups)
    print(f"\nScanner: {scanner_line}")
    with open(os.path.join(WORK, "results.json"), "w") as f:
        json.dump({"java": java_version, "startup_s": startups, "rows": rows, "scanner": scanner_line,
                   "samples": {"|".join(map(str, k)): v for k, v in results.items()}}, f, indent=2)
    print(f"(samples and medians in {os.path.relpath(os.path.join(WORK, 'results.json'), ROOT)})")


TITLES = {"built": "Strata as ./mvnw package leaves it (no training of the benchmark's own)",
          "trained": "Strata with an archive trained by apply-all on a scratch database"}


def report(mode, med, sizes, startups):
    """Prints one mode's table; returns its rows for results.json."""
    tool = "strata-" + mode
    startup = med[("startup", 0, tool)][0]
    startups[mode] = startup
    print(f"\n[{mode}] {TITLES[mode]}")
    print(f"Strata start-up (strata --version): {startup:.3f} s, {med[('startup', 0, tool)][1]:.0f} MB")
    print(f"{'scenario':<10} {'N':>5} {'psql s':>8} {'Flyway s':>9} {'Strata s':>9} {'S/F':>6} {'S/psql':>7} "
          f"{'(S-start)/psql':>15} {'Flyway MB':>10} {'Strata MB':>10}")
    rows = []
    for scenario in ("fresh", "noop", "status"):
        for n in sizes:
            s, f = med.get((scenario, n, tool)), med.get((scenario, n, "flyway"))
            q = med.get((scenario, n, "psql"))
            if not s or not f:
                continue
            row = {"mode": mode, "scenario": scenario, "n": n, "strata_s": s[0], "flyway_s": f[0], "strata_mb": s[1],
                   "flyway_mb": f[1], "strata_over_flyway": s[0] / f[0]}
            line = f"{scenario:<10} {n:>5} {q[0] if q else float('nan'):>8.3f} {f[0]:>9.3f} {s[0]:>9.3f} {s[0] / f[0]:>6.2f} "
            if q:
                row.update(psql_s=q[0], strata_over_psql=s[0] / q[0], strata_minus_startup_over_psql=(s[0] - startup) / q[0])
                line += f"{s[0] / q[0]:>7.2f} {(s[0] - startup) / q[0]:>15.2f} "
            else:
                line += f"{'':>7} {'':>15} "
            line += f"{f[1]:>10.0f} {s[1]:>10.0f}"
            print(line)
            rows.append(row)
    growth = []
    for scenario in ("noop", "status"):
        base = med.get((scenario, sizes[0], tool))
        for n in sizes[1:]:
            cur = med.get((scenario, n, tool))
            if base and cur:
                growth.append(f"{scenario} {n} = {cur[0] / base[0]:.2f} x the {sizes[0]} case")
    if growth:
        print("Growth: " + "; ".join(growth))
    return rows


if __name__ == "__main__":
    main()
