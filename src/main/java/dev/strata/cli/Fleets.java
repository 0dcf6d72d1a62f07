package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.FleetRun;
import dev.strata.engine.FleetSummary;
import dev.strata.engine.Migrator;
import dev.strata.engine.Target;
import dev.strata.engine.TargetResult;
import dev.strata.engine.TargetSource;
import dev.strata.engine.TargetWork;
import dev.strata.report.ExitCodes;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** Runs a command over a fleet for the CLI: resolves the targets, runs, prints, picks the exit code. */
@ApplicationScoped
public class Fleets {

    /**
     * Pool size per target: the session that holds the lock and runs the migrations, plus room
     * for the short-lived second connection MigrationSession opens only to prove a session that is
     * not a direct connection, or to probe a statement that has been silent for a while.
     */
    private static final int CONNECTIONS_PER_TARGET = 2;

    /** Exit code after a second SIGTERM / Ctrl-C: 128 + SIGINT, as shells report an interrupted command. */
    private static final int ABORTED = 130;

    @Inject
    CommandContext context;

    @Inject
    Vertx vertx;

    /**
     * Runs {@code work} on every target and prints the report.
     *
     * @param pendingCode the exit code when targets have pending migrations and nothing failed
     *                    (3 for {@code status --exit-code}, else 0)
     * @return 0 all ok; 1 any target failed or the run was interrupted; 4 (or 2) when every
     *         failure was a lock timeout (or a connection/configuration error)
     */
    int run(FleetOptions fleet, ConnectionOptions connection, Catalog catalog, Set<String> promoted,
            TargetWork work, boolean json, int pendingCode) {
        FleetRun.Rollout rollout = fleet.rollout();
        // The one scan of the catalog, before the registry or any target is contacted.
        Migrator prototype = context.migrator(catalog, null, promoted);
        prototype.preflight();
        List<Target> targets = targets(fleet, connection);
        Duration connectTimeout = Duration.ofMillis(connection.connectTimeoutMs);
        FleetRun run = new FleetRun(prototype,
                (ConnectionSettings s) -> new ConnectionPool(vertx, s, CONNECTIONS_PER_TARGET, connectTimeout), rollout);
        return runAndReport(run, targets, work, json, rollout.parallel(), pendingCode);
    }

    /**
     * Runs the fleet with SIGTERM / Ctrl-C stopping the rollout (see {@link #onSignal}), prints
     * each target's line and the report, and picks the exit code; the CLI's one path, and the one
     * a test drives in a child process to send it a real signal.
     *
     * @return the exit code, as {@link #run}
     */
    static int runAndReport(FleetRun run, List<Target> targets, TargetWork work, boolean json, int parallel,
                            int pendingCode) {
        FleetPrinter printer = new FleetPrinter(json, targets.stream().mapToInt(t -> t.name().length()).max().orElse(10));
        SignalHandler term = onSignal("TERM", run);
        SignalHandler interrupt = onSignal("INT", run);
        FleetSummary summary;
        try {
            summary = run.run(targets, work, printer::target).await().indefinitely();
        } finally {
            restore("TERM", term);
            restore("INT", interrupt);
        }
        int code = exitCode(summary, pendingCode);
        printer.finish(summary, parallel, code);
        return code;
    }

    /**
     * The fleet's targets, every one parsed before any is touched: from the targets file, or from
     * the registry query run on the connection's database.
     *
     * @throws dev.strata.db.ConfigException (exit 2) naming the file line or query row that cannot be used
     */
    List<Target> targets(FleetOptions fleet, ConnectionOptions connection) {
        if (fleet.targetsFile != null) {
            return TargetSource.fromFile(Path.of(fleet.targetsFile), System.getenv());
        }
        try (ConnectionPool registry = new ConnectionPool(vertx, context.settings(connection), 1,
                Duration.ofMillis(connection.connectTimeoutMs))) {
            return TargetSource.fromQuery(registry, fleet.targetsQuery, System.getenv()).await().indefinitely();
        }
    }

    static int exitCode(FleetSummary s, int pendingCode) {
        if (s.count(TargetResult.Outcome.FAILED) > 0) {
            Set<TargetResult.FailureKind> kinds = s.failureKinds();
            if (kinds.equals(Set.of(TargetResult.FailureKind.LOCK))) {
                return ExitCodes.LOCK_TIMEOUT;
            }
            if (kinds.equals(Set.of(TargetResult.FailureKind.CONNECTION))) {
                return ExitCodes.USAGE;
            }
            return ExitCodes.MIGRATION_FAILED;
        }
        if (s.wasInterrupted()) {
            return ExitCodes.MIGRATION_FAILED;
        }
        return s.count(TargetResult.Outcome.PENDING) > 0 ? pendingCode : ExitCodes.OK;
    }

    /**
     * SIGTERM / Ctrl-C stop the rollout instead of the JVM, so that running targets finish; a
     * second signal exits at once (130).
     */
    private static SignalHandler onSignal(String name, FleetRun run) {
        java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            return Signal.handle(new Signal(name), signal -> {
                if (seen.getAndSet(true)) {
                    // A migration whose COMMIT was already sent (file, history row and COMMIT go in one
                    // round trip) still commits on the server: say so, rather than promise a rollback.
                    Console.err().println("strata: SIG" + name + " again: exiting now; each running migration "
                            + "either commits with its history row or rolls back on the server; run the same "
                            + "command with status to see which");
                    Console.err().flush();
                    // halt, not exit: shutdown hooks would stop Vert.x under the running pipeline
                    // and let it print stack traces; closed sockets are all the server needs.
                    Runtime.getRuntime().halt(ABORTED);
                }
                Console.err().println("strata: SIG" + name + ": no new target starts; waiting for the running ones "
                        + "to finish or roll back (send it again to exit now)");
                run.interrupt();
            });
        } catch (IllegalArgumentException e) {
            return null; // the signal is not available here (or the JVM reserves it)
        }
    }

    private static void restore(String name, SignalHandler previous) {
        if (previous != null) {
            Signal.handle(new Signal(name), previous);
        }
    }
}
