package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import io.smallrye.mutiny.Uni;

import java.util.List;

/** What a fleet command does on one target, given that target's migrator. */
@FunctionalInterface
public interface TargetWork {

    /**
     * Runs the command on one target.
     *
     * @return the target's outcome; a failed Uni is classified by {@link FleetRun}
     */
    Uni<TargetResult> run(String name, Migrator migrator, long startedNanos);

    /**
     * True when the work takes the database's migration lock (a real {@code apply-all}): then
     * targets that share a database (schema-per-tenant) run one after another rather than wait
     * for each other's lock while holding a parallel slot and a connection. False by default.
     */
    default boolean takesLock() {
        return false;
    }

    /** {@code apply-all} (or, with {@code dryRun}, its plan) on the target. */
    static TargetWork apply(ApplyOptions options) {
        TargetWork work = applyWork(options);
        if (options.dryRun()) {
            return work;
        }
        return new TargetWork() {
            @Override
            public Uni<TargetResult> run(String name, Migrator migrator, long startedNanos) {
                return work.run(name, migrator, startedNanos);
            }

            @Override
            public boolean takesLock() {
                return true;
            }
        };
    }

    private static TargetWork applyWork(ApplyOptions options) {
        return (name, migrator, started) -> migrator.applyAll(options, ProgressListener.NONE).onItem().transform(r -> {
            if (r.dryRun()) {
                List<CatalogMigration> plan = r.pendingPlan();
                return plan.isEmpty() ? result(name, TargetResult.Outcome.UP_TO_DATE, 0, "up to date", started)
                        : result(name, TargetResult.Outcome.PENDING, plan.size(), "would apply " + plan.size() + ": "
                        + String.join(", ", plan.stream().map(CatalogMigration::name).toList()), started);
            }
            if (r.applied().isEmpty()) {
                return result(name, TargetResult.Outcome.UP_TO_DATE, 0, "up to date", started);
            }
            return result(name, TargetResult.Outcome.MIGRATED, r.applied().size(), "migrated " + r.applied().size()
                    + ", now at " + r.last().orElseThrow().name(), started);
        });
    }

    /** {@code status} (and {@code list}) on the target: counts, nothing written. */
    static TargetWork status() {
        return (name, migrator, started) -> migrator.status().onItem().transform(report -> {
            int pending = report.count(MigrationState.PENDING);
            int problems = report.count(MigrationState.CHANGED) + report.count(MigrationState.FAILED)
                    + report.count(MigrationState.UNKNOWN);
            String counts = report.appliedCount() + " applied, " + pending + " pending";
            if (problems > 0) {
                return new TargetResult(name, TargetResult.Outcome.FAILED, pending, "history needs attention: "
                        + report.count(MigrationState.CHANGED) + " changed, " + report.count(MigrationState.FAILED)
                        + " failed, " + report.count(MigrationState.UNKNOWN) + " unknown (" + counts + ")",
                        TargetResult.FailureKind.MIGRATION, FleetRun.elapsedMs(started));
            }
            return pending > 0 ? result(name, TargetResult.Outcome.PENDING, pending, counts, started)
                    : result(name, TargetResult.Outcome.UP_TO_DATE, 0, "up to date (" + counts + ")", started);
        });
    }

    /** {@code validate} on the target: checksums and every applied verify step, read-only. */
    static TargetWork validate() {
        return (name, migrator, started) -> new Validation(migrator).validate().onItem().transform(report -> {
            if (!report.ok()) {
                return new TargetResult(name, TargetResult.Outcome.FAILED, report.pending(), "invalid: "
                        + String.join("; ", report.problems()), TargetResult.FailureKind.MIGRATION,
                        FleetRun.elapsedMs(started));
            }
            String checked = "valid (" + report.verified() + " verified";
            return report.pending() > 0
                    ? result(name, TargetResult.Outcome.PENDING, report.pending(), checked + ", " + report.pending()
                    + " pending)", started)
                    : result(name, TargetResult.Outcome.UP_TO_DATE, 0, checked + ")", started);
        });
    }

    private static TargetResult result(String name, TargetResult.Outcome outcome, int n, String detail, long started) {
        return new TargetResult(name, outcome, n, detail, null, FleetRun.elapsedMs(started));
    }
}
