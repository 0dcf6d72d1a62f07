package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import java.util.List;

/**
 * The outcome of {@code apply-all} or {@code apply}.
 *
 * @param applied     migrations applied in this run, in order
 * @param pendingPlan the plan: what was (or, for a dry run, would be) applied
 * @param dryRun      true when nothing was executed
 * @param totalMs     wall time of the whole run in ms, connection included
 * @param notes       remarks for the user, e.g. a BEGIN/COMMIT wrapper that was ignored
 */
public record ApplyResult(List<Step> applied, List<CatalogMigration> pendingPlan, boolean dryRun,
                          long totalMs, List<String> notes) {

    /**
     * One applied migration.
     *
     * @param migration  the migration
     * @param sqlMs      wall time of its SQL, ms
     * @param verifyMs   wall time of its verify step, ms
     * @param totalMs    wall time of the whole transaction, ms
     */
    public record Step(CatalogMigration migration, long sqlMs, long verifyMs, long totalMs) {
    }

    /** The highest-numbered migration applied in this run, if any. */
    public java.util.Optional<CatalogMigration> last() {
        return applied.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(applied.get(applied.size() - 1).migration());
    }
}
