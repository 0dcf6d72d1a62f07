package dev.strata.engine;

import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionException;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.db.DatabaseUrl;
import dev.strata.history.MigrationLock;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one command over a fleet of targets on the Vert.x event loop: at most {@code parallel}
 * targets at a time, each with a {@link ConnectionPool} of its own that is closed when the target is
 * done, an optional canary stage, and a stop rule. The catalog is scanned once, before any target.
 */
public final class FleetRun {

    /**
     * How the rollout proceeds.
     *
     * @param parallel    targets worked on at the same time, 1 or more
     * @param canary      targets run first, alone; the rest only start when all of them succeeded (0: none)
     * @param stopOnError true: no new target starts after a failure (running ones finish)
     * @param maxFailures no new target starts once this many failed (0: no limit)
     */
    public record Rollout(int parallel, int canary, boolean stopOnError, int maxFailures) {
    }

    private final Migrator prototype;
    private final Function<ConnectionSettings, ConnectionPool> opener;
    private final Rollout rollout;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private final AtomicInteger failures = new AtomicInteger();

    /**
     * @param prototype a migrator over the catalog; its preflight scan is shared by every target
     * @param opener    opens a database for a target's session settings (pool of 1–2 connections)
     * @param rollout   parallelism, canary and stop rules
     */
    public FleetRun(Migrator prototype, Function<ConnectionSettings, ConnectionPool> opener, Rollout rollout) {
        this.prototype = prototype;
        this.opener = opener;
        this.rollout = rollout;
    }

    /**
     * Stops the rollout as SIGTERM or Ctrl-C should: no new target starts; running ones finish
     * (or roll back), and the remaining ones are reported as not started.
     */
    public void interrupt() {
        interrupted.set(true);
        stopped.set(true);
    }

    /**
     * Scans the catalog, then runs {@code work} on every target, reporting each result to
     * {@code listener} as it finishes (one at a time).
     *
     * @return the totals; the Uni fails with {@link SafetyViolationException} before any target
     *         is touched when the scan finds an error
     */
    public Uni<FleetSummary> run(List<Target> targets, TargetWork work, Consumer<TargetResult> listener) {
        long started = System.nanoTime();
        try {
            prototype.preflight();
        } catch (SafetyViolationException e) {
            return Uni.createFrom().failure(e);
        }
        FleetSummary summary = new FleetSummary();
        Consumer<TargetResult> record = result -> {
            summary.add(result);
            listener.accept(result);
        };
        int canary = Math.min(Math.max(rollout.canary(), 0), targets.size());
        Uni<Void> stages = stage(targets.subList(0, canary), work, record)
                .onItem().invoke(() -> {
                    if (canary > 0 && failures.get() > 0) {
                        stopped.set(true);
                    }
                })
                .chain(() -> stage(targets.subList(canary, targets.size()), work, record));
        return stages.onItem().transform(v -> {
            if (interrupted.get()) {
                summary.interrupted();
            }
            summary.finished(elapsedMs(started));
            return summary;
        });
    }

    private Uni<Void> stage(List<Target> targets, TargetWork work, Consumer<TargetResult> record) {
        if (targets.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // merge(parallel) subscribes to at most that many groups at once; deferred() makes the
        // stop check happen when a target would start, not when the list is read. A group is one
        // target, or, for work that takes the migration lock, every target of one database in
        // order: the lock is per database, so they could only wait for each other.
        return Multi.createFrom().iterable(groups(targets, work.takesLock()))
                .onItem().transformToMulti(group -> Multi.createFrom().iterable(group)
                        .onItem().transformToUniAndConcatenate(target -> Uni.createFrom().deferred(() -> stopped.get()
                                ? Uni.createFrom().item(notStarted(target))
                                : one(target, work))))
                .merge(Math.max(rollout.parallel(), 1))
                .onItem().invoke(result -> {
                    if (result.outcome() == TargetResult.Outcome.FAILED) {
                        int failed = failures.incrementAndGet();
                        if (rollout.stopOnError() || (rollout.maxFailures() > 0 && failed >= rollout.maxFailures())) {
                            stopped.set(true);
                        }
                    }
                    record.accept(result);
                })
                .collect().last().replaceWithVoid();
    }

    /**
     * The targets in groups that run one after another inside: one group per target, or with
     * {@code byDatabase} one per database (host, port, database name), in order of first appearance.
     */
    static List<List<Target>> groups(List<Target> targets, boolean byDatabase) {
        if (!byDatabase) {
            return targets.stream().map(List::of).toList();
        }
        java.util.Map<String, List<Target>> byKey = new java.util.LinkedHashMap<>();
        for (Target t : targets) {
            var o = t.settings().options();
            byKey.computeIfAbsent(o.getHost() + ":" + o.getPort() + "/" + o.getDatabase(),
                    k -> new java.util.ArrayList<>()).add(t);
        }
        return List.copyOf(byKey.values());
    }

    private Uni<TargetResult> one(Target target, TargetWork work) {
        long started = System.nanoTime();
        String name = target.name();
        ConnectionPool database;
        try {
            database = opener.apply(target.sessionSettings());
        } catch (RuntimeException e) {
            return Uni.createFrom().item(failed(name, e, started));
        }
        return work.run(name, prototype.on(database), started)
                .onFailure().recoverWithItem(e -> failed(name, e, started))
                .call(() -> database.pool().close().onFailure().recoverWithNull());
    }

    private static TargetResult notStarted(Target target) {
        return new TargetResult(target.name(), TargetResult.Outcome.NOT_STARTED, 0, "not started (rollout stopped)",
                null, 0);
    }

    /** Classifies a target's failure into one report line and a failure class. */
    static TargetResult failed(String name, Throwable e, long started) {
        long ms = elapsedMs(started);
        if (e instanceof MigrationFailedException mf) {
            MigrationFailure f = mf.failure();
            String what = "verify".equals(f.phase()) ? "verify failed: " + f.message()
                    : (f.sqlState() == null ? "" : f.sqlState() + " ") + f.message();
            return new TargetResult(name, TargetResult.Outcome.FAILED, 0, "failed at " + f.migration().name() + ": "
                    + what + " (" + f.location() + ")", TargetResult.FailureKind.MIGRATION, ms);
        }
        if (e instanceof HistoryConflictException conflict) {
            List<String> problems = conflict.problems();
            return new TargetResult(name, TargetResult.Outcome.FAILED, 0, "history conflict: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
                    TargetResult.FailureKind.MIGRATION, ms);
        }
        if (e instanceof MigrationLock.LockTimeoutException) {
            return new TargetResult(name, TargetResult.Outcome.FAILED, 0, "lock timeout: " + e.getMessage(),
                    TargetResult.FailureKind.LOCK, ms);
        }
        if (e instanceof ConnectionException || e instanceof ConfigException) {
            return new TargetResult(name, TargetResult.Outcome.FAILED, 0, DatabaseUrl.redactText(e.getMessage()),
                    TargetResult.FailureKind.CONNECTION, ms);
        }
        return new TargetResult(name, TargetResult.Outcome.FAILED, 0, "unexpected error: "
                + DatabaseUrl.redactText(String.valueOf(e)), TargetResult.FailureKind.MIGRATION, ms);
    }

    static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
