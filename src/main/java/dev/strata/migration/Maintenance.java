package dev.strata.migration;

import dev.strata.history.AppliedMigration;
import dev.strata.history.SchemaHistory;
import dev.strata.history.SqlResources;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The schema history verbs besides applying: {@code validate}, {@code repair} and
 * {@code baseline}, each over a {@link Migrator}'s catalog and database.
 */
public final class Maintenance {

    private final Migrator migrator;

    /** @param migrator supplies the catalog, the database and the lock */
    public Maintenance(Migrator migrator) {
        this.migrator = migrator;
    }

    /**
     * The outcome of {@code validate}.
     *
     * @param problems one line each: changed checksums, failed rows, unknown migrations, failing verify steps
     * @param verified how many applied migrations had their verify step re-run
     * @param pending  how many migrations are pending (not a problem)
     */
    public record ValidationReport(List<String> problems, int verified, int pending) {
        /** True when nothing is off. */
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Compares every applied migration's checksum with its file, reports failed rows and
     * migrations the catalog does not know, and re-runs every applied migration's verify step in a
     * read-only transaction (rolled back). Changes nothing.
     */
    public Uni<ValidationReport> validate() {
        return migrator.database().connect().onItem().transformToUni(connection ->
                SchemaHistory.read(connection).onItem().transformToUni(history -> {
                    StatusReport report = StatusReport.of(migrator.catalog(), history,
                            migrator.database().settings().redacted());
                    List<String> problems = new ArrayList<>();
                    for (StatusReport.Entry e : report.entries()) {
                        switch (e.state()) {
                            case CHANGED -> problems.add(e.migration().orElseThrow().file()
                                    + ": changed after it was applied (recorded checksum "
                                    + e.applied().orElseThrow().checksum() + ", file now "
                                    + e.migration().orElseThrow().checksum() + ")");
                            case FAILED -> problems.add(e.migration().orElseThrow().file() + ": failed part-way ("
                                    + e.applied().orElseThrow().error() + "); see strata repair " + e.number());
                            case UNKNOWN -> problems.add("migration " + e.name()
                                    + " is recorded in the database but not in " + migrator.catalog().location());
                            default -> { }
                        }
                    }
                    List<CatalogMigration> applied = report.entries().stream()
                            .filter(e -> e.state() == MigrationState.APPLIED || e.state() == MigrationState.BASELINE)
                            .map(e -> e.migration().orElseThrow()).toList();
                    return Multi.createFrom().iterable(applied)
                            .onItem().transformToUniAndConcatenate(m -> verifyReadOnly(connection, m)
                                    .onItem().invoke(problem -> problem.ifPresent(problems::add)))
                            .collect().asList()
                            .onItem().transform(done -> new ValidationReport(List.copyOf(problems), applied.size(),
                                    report.count(MigrationState.PENDING)));
                }).onTermination().call(connection::close));
    }

    /** Runs a verify step in {@code BEGIN READ ONLY … ROLLBACK}; a problem line when it fails. */
    static Uni<Optional<String>> verifyReadOnly(SqlConnection connection, CatalogMigration m) {
        return connection.query("BEGIN READ ONLY").execute()
                .chain(() -> m.verifier().verify(connection))
                .onItem().transform(ok -> Optional.<String>empty())
                .onFailure().recoverWithItem(error -> Optional.of(m.file() + ": verify failed ("
                        + m.verifier().source() + "): " + FailureLocator.fromVerify(m, error).message()))
                .call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
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
     * @throws dev.strata.config.ConfigException (as a failed Uni) when N is not a failed migration
     */
    public Uni<RepairResult> repair(long number, RepairMode mode, Duration lockWait, ProgressListener listener) {
        CatalogMigration m = migrator.catalog().find(number).orElseThrow(() -> new dev.strata.config.ConfigException(
                "no migration " + CatalogMigration.format(number) + " in " + migrator.catalog().location()));
        return migrator.underLock(lockWait, listener, (work, history) -> {
            Optional<AppliedMigration> row = history.stream().filter(r -> r.number() == number).findFirst();
            if (row.isEmpty() || row.get().success()) {
                return Uni.createFrom().failure(new dev.strata.config.ConfigException("nothing to repair: "
                        + m.name() + " is " + (row.isEmpty() ? "pending" : "applied")
                        + "; repair is for migrations that failed part-way (strata status lists them)"));
            }
            if (mode == RepairMode.RETRY) {
                return work.get().chain(c -> c.preparedQuery(SqlResources.get("history_delete_failed.sql"))
                        .execute(Tuple.of(number)))
                        .onItem().transform(rows -> new RepairResult(true, "removed the failed record of " + m.name()
                                + "; run strata apply-all to run it again (its statements must be safe to repeat)"));
            }
            return work.get().chain(c -> SchemaHistory.ensureProgressColumn(c)
                    .chain(() -> SchemaHistory.progress(c, number))
                    .chain(progress -> mode == RepairMode.MARK_APPLIED ? markUnchecked(c, m, progress)
                            : resume(c, m, progress)));
        });
    }

    private Uni<RepairResult> markUnchecked(SqlConnection c, CatalogMigration m, SchemaHistory.Progress progress) {
        RepairResume statements = new RepairResume(c, m);
        Integer done = progress == null ? null : progress.statementsDone();
        String ran = done == null ? "which of its " + statements.total() + " statements ran is not recorded"
                : done >= statements.total() ? "all " + statements.total() + " statements had run"
                : "statements " + statements.range(done + 1) + " of " + statements.total() + " never ran here";
        return SchemaHistory.markAppliedUnchecked(c, m.number(), m.checksum(), migrator.toolVersion())
                .onItem().transform(updated -> new RepairResult(true, m.name() + " is now recorded as applied (kind "
                        + "repaired) and NOTHING WAS CHECKED: " + ran + ", and no verify step ran; make sure the "
                        + "database has the migration's effect"));
    }

    private Uni<RepairResult> resume(SqlConnection c, CatalogMigration m, SchemaHistory.Progress progress) {
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
        RepairResume statements = new RepairResume(c, m);
        Uni<String> ran = done == null ? Uni.createFrom().nullItem() : statements.from(done);
        return ran.chain(stopped -> {
            if (stopped != null && m.verifier() == Verifier.NONE) {
                return Uni.createFrom().item(new RepairResult(false, m.file() + ": " + stopped + choices));
            }
            // a statement that fails again may have been done by hand: then only a real verify step
            // that passes can show the migration complete
            String before = stopped == null ? "" : m.file() + ": " + stopped + "\n  ";
            return verifyReadOnly(c, m).chain(problem -> invalidIndexes(c).chain(invalid -> {
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
                return SchemaHistory.markRepaired(c, number, m.checksum(), migrator.toolVersion())
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

    /**
     * The outcome of {@code baseline}.
     *
     * @param inserted migrations recorded as applied without running them
     * @param adopted  rows the old system wrote, now carrying the file's checksum
     * @param already  migrations Strata had recorded before
     */
    public record BaselineResult(List<String> inserted, List<String> adopted, List<String> already) {
    }

    /**
     * Records the migrations numbered up to {@code upTo} (and their dependencies) as applied
     * without running them, for a database that already has that schema: adopts an existing
     * {@code schema_migrations} table of the old system in place. Unless {@code skipVerify}, every
     * such migration's verify step must pass first (read-only), so a database without the schema
     * is not baselined by mistake.
     *
     * @return fails with {@link HistoryConflictException} when a verify step fails (nothing recorded)
     */
    public Uni<BaselineResult> baseline(long upTo, boolean skipVerify, Duration lockWait, ProgressListener listener) {
        List<CatalogMigration> selected = migrator.catalog().migrations().stream()
                .filter(m -> m.number() <= upTo)
                .flatMap(m -> migrator.catalog().withDependencies(m.number()).stream())
                .distinct().toList();
        List<CatalogMigration> ordered = migrator.catalog().migrations().stream().filter(selected::contains).toList();
        return migrator.underLock(lockWait, listener, (lazyWork, history) -> lazyWork.get().chain(work -> {
            Uni<List<String>> checks = skipVerify ? Uni.createFrom().item(List.of())
                    : Multi.createFrom().iterable(ordered)
                            .onItem().transformToUniAndConcatenate(m -> verifyReadOnly(work, m))
                            .filter(Optional::isPresent).map(Optional::get).collect().asList();
            return checks.onItem().transformToUni(problems -> {
                if (!problems.isEmpty()) {
                    return Uni.createFrom().failure(new HistoryConflictException(problems, "baseline refused: "
                            + problems.size() + " of " + ordered.size() + " verify step" + (ordered.size() == 1 ? "" : "s")
                            + " failed, so the database does not have the schema of these migrations; nothing was "
                            + "recorded. Apply them instead (strata apply-all), or pass --skip-verify if you are sure."));
                }
                List<String> inserted = new ArrayList<>();
                List<String> adopted = new ArrayList<>();
                List<String> already = new ArrayList<>();
                return Multi.createFrom().iterable(ordered)
                        .onItem().transformToUniAndConcatenate(m -> SchemaHistory.baseline(work, new SchemaHistory.Entry(
                                        m.name(), m.number(), m.checksum(), m.description(), null, null,
                                        m.dependencies(), "baseline", true, null, migrator.toolVersion()))
                                .onItem().invoke(action -> {
                                    if ("inserted".equals(action)) {
                                        inserted.add(m.name());
                                    } else if ("adopted".equals(action)) {
                                        adopted.add(m.name());
                                    } else {
                                        already.add(m.name());
                                    }
                                }))
                        .collect().asList()
                        .onItem().transform(done -> new BaselineResult(inserted, adopted, already));
            });
        }));
    }
}
