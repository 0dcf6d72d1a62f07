package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.Verifier;
import dev.strata.history.AppliedMigration;
import dev.strata.history.SchemaHistory;
import dev.strata.history.SqlResources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code strata repair N}: settles a non-transactional migration that failed part-way, by running
 * the statements that did not run (then its verify step), by removing the failed row ({@code --retry}),
 * or by marking it applied without any check ({@code --mark-applied}, said so in the output).
 */
public final class Repair {

    private final Migrator migrator;

    /** @param migrator supplies the catalog, the database and the lock */
    public Repair(Migrator migrator) {
        this.migrator = migrator;
    }

    /**
     * The outcome of {@code repair}.
     *
     * @param repaired true when the failed row was marked applied (or, with retry, removed)
     * @param message  what happened, or what is left to do
     */
    public record RepairResult(boolean repaired, String message) {
    }

    /**
     * Repairs a migration that failed part-way (a non-transactional one) without marking it
     * applied on faith; see {@link #repair(long, RepairMode, Duration, ProgressListener)}.
     */
    public Uni<RepairResult> repair(long number, boolean retry, Duration lockWait, ProgressListener listener) {
        return repair(number, retry ? RepairMode.RETRY : RepairMode.RESUME, lockWait, listener);
    }

    /** What {@code repair} does with a failed row. */
    public enum RepairMode {
        /** Run the statements that did not run (recorded progress), then verify, then mark applied. */
        RESUME,
        /** Remove the failed row so {@code apply-all} runs the migration again. */
        RETRY,
        /** Mark the row applied without running or checking anything ({@code --mark-applied}). */
        MARK_APPLIED
    }

    /**
     * Repairs a migration that failed part-way. RESUME runs the statements after the last one the
     * history row records as completed, then the verify step, checks that no INVALID index is left,
     * and only then marks the row applied; otherwise it says which statements did not run. A row
     * without recorded progress is marked applied only when a verify step passes.
     *
     * @throws dev.strata.db.ConfigException (as a failed Uni) when N is not a failed migration
     */
    public Uni<RepairResult> repair(long number, RepairMode mode, Duration lockWait, ProgressListener listener) {
        CatalogMigration m = migrator.catalog().find(number).orElseThrow(() -> new dev.strata.db.ConfigException(
                "no migration " + CatalogMigration.format(number) + " in " + migrator.catalog().location()));
        return migrator.underLock(lockWait, listener, (work, history) -> {
            Optional<AppliedMigration> row = history.stream().filter(r -> r.number() == number).findFirst();
            if (row.isEmpty() || row.get().success()) {
                return Uni.createFrom().failure(new dev.strata.db.ConfigException("nothing to repair: "
                        + m.name() + " is " + (row.isEmpty() ? "pending" : "applied")
                        + "; repair is for migrations that failed part-way (strata status lists them)"));
            }
            if (mode == RepairMode.RETRY) {
                return work.get().chain(c -> c.preparedQuery(dev.strata.history.HistoryTable.sql("history_delete_failed.sql", work.table()))
                        .execute(Tuple.of(number)))
                        .onItem().transform(rows -> new RepairResult(true, "removed the failed record of " + m.name()
                                + "; run strata apply-all to run it again (its statements must be safe to repeat)"));
            }
            String table = work.table();
            return work.get().chain(c -> SchemaHistory.ensureProgressColumn(c, table)
                    .chain(() -> SchemaHistory.progress(c, table, number))
                    .chain(progress -> mode == RepairMode.MARK_APPLIED ? markUnchecked(c, table, m, progress)
                            : resume(c, table, m, progress)));
        });
    }

    private Uni<RepairResult> markUnchecked(SqlConnection c, String table, CatalogMigration m,
                                            SchemaHistory.Progress progress) {
        RepairResume statements = new RepairResume(c, table, m);
        Integer done = progress == null ? null : progress.statementsDone();
        String ran = done == null ? "which of its " + statements.total() + " statements ran is not recorded"
                : done >= statements.total() ? "all " + statements.total() + " statements had run"
                : "statements " + statements.range(done + 1) + " of " + statements.total() + " never ran here";
        return SchemaHistory.markAppliedUnchecked(c, table, m.number(), m.checksum(), migrator.toolVersion())
                .onItem().transform(updated -> new RepairResult(true, m.name() + " is now recorded as applied (kind "
                        + "repaired) and NOTHING WAS CHECKED: " + ran + ", and no verify step ran; make sure the "
                        + "database has the migration's effect"));
    }

    private Uni<RepairResult> resume(SqlConnection c, String table, CatalogMigration m, SchemaHistory.Progress progress) {
        long number = m.number();
        String choices = "\n  Either finish the migration's work by hand and run strata repair " + number
                + " --mark-applied, or undo it and run strata repair " + number + " --retry, then strata apply-all.";
        Integer done = progress == null ? null : progress.statementsDone();
        if (done != null && !m.checksum().equals(progress.checksum())) {
            return Uni.createFrom().item(new RepairResult(false, m.file() + " changed since the failed run "
                    + "(recorded checksum " + progress.checksum() + ", file now " + m.checksum() + "), so the "
                    + "recorded progress (" + done + " statements) does not tell which of its statements ran." + choices));
        }
        if (done == null && m.verifier() == Verifier.NONE) {
            return Uni.createFrom().item(new RepairResult(false, m.name() + ": which statements ran is not recorded "
                    + "(the row predates progress records) and the migration has no verify step, so nothing can "
                    + "show it is complete." + choices));
        }
        RepairResume statements = new RepairResume(c, table, m);
        Uni<String> ran = done == null ? Uni.createFrom().nullItem() : statements.from(done);
        return ran.chain(stopped -> {
            if (stopped != null && m.verifier() == Verifier.NONE) {
                return Uni.createFrom().item(new RepairResult(false, m.file() + ": " + stopped + choices));
            }
            // a statement that fails again may have been done by hand: then only a real verify step
            // that passes can show the migration complete
            String before = stopped == null ? "" : m.file() + ": " + stopped + "\n  ";
            return Validation.verifyReadOnly(c, m).chain(problem -> invalidIndexes(c).chain(invalid -> {
                if (problem.isPresent() || !invalid.isEmpty()) {
                    return Uni.createFrom().item(new RepairResult(false, before + problem.orElse(m.file()
                            + ": its statements ran, but an index build did not finish")
                            + (invalid.isEmpty() ? "" : "\n  INVALID indexes left by a failed concurrent build: "
                            + String.join(", ", invalid) + " (DROP INDEX CONCURRENTLY each)") + choices));
                }
                String what = stopped != null ? before + "but verify passed (" + m.verifier().source() + ")"
                        : (done == null ? "" : done >= statements.total() ? "all statements had run; "
                        : "ran statements " + statements.range(done + 1) + " of " + statements.total() + "; ")
                        + (m.verifier() == Verifier.NONE ? "no verify step" : "verify passed");
                return SchemaHistory.markRepaired(c, table, number, m.checksum(), migrator.toolVersion())
                        .onItem().transform(updated -> new RepairResult(true, what + ": " + m.name()
                                + " is now recorded as applied (kind repaired)"));
            }));
        });
    }

    private static Uni<List<String>> invalidIndexes(SqlConnection connection) {
        return connection.query(SqlResources.get("invalid_indexes.sql")).execute().onItem().transform(rows -> {
            List<String> names = new ArrayList<>();
            for (Row row : rows) {
                names.add(row.getString(0));
            }
            return names;
        });
    }
}
