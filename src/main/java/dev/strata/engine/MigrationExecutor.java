package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.Verifier;
import dev.strata.history.SchemaHistory;
import dev.strata.history.SqlResources;
import dev.strata.sql.SqlScript;
import dev.strata.sql.SqlStatement;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one plan on the session that holds the migration lock: each transactional migration as
 * {@code BEGIN} → file → verify → history row → {@code COMMIT} (retried when it hit
 * {@code lock_timeout}), each non-transactional one statement by statement with its progress
 * recorded in the history row (PostgreSQL refuses {@code CREATE INDEX CONCURRENTLY} inside a
 * transaction block). One executor per run: the session's search_path is per-run state.
 */
final class MigrationExecutor {

    private final MigrationSession session;
    private final SqlConnection work;
    private final String toolVersion;
    private final Function<CatalogMigration, SqlScript> scripts;
    private final ApplyOptions options;
    private final ProgressListener listener;

    /**
     * @param scripts the parsed script of a migration (the preflight scan's, or a new parse)
     */
    MigrationExecutor(MigrationSession session, String toolVersion, Function<CatalogMigration, SqlScript> scripts,
                      ApplyOptions options, ProgressListener listener) {
        this.session = session;
        this.work = session.connection();
        this.toolVersion = toolVersion;
        this.scripts = scripts;
        this.options = options;
        this.listener = listener;
    }

    /** The work connection's search_path before any migration ran (from SHOW search_path). */
    private String searchPath = "\"$user\", public";

    /**
     * SQL that undoes a migration's session changes that would affect the history row or the
     * verify step: its search_path and role (inside the migration's transaction).
     */
    private String restoreSession() {
        return "SET LOCAL search_path TO " + searchPath + ";RESET ROLE";
    }

    /**
     * After COMMIT: back to the session's defaults, so that no SET of one migration (role,
     * search_path, timeouts…) leaks into the next one, as if each ran in a fresh psql session.
     */
    private static final String RESET_SESSION = ";RESET ALL";

    /**
     * Applies the plan in order on the session, stopping at the first failure.
     *
     * @param started when the command started ({@link System#nanoTime()}), for the total time
     * @return the steps applied; fails with {@link MigrationFailedException} carrying the steps
     *         applied before the failure, or {@link SessionLostException}
     */
    Uni<ApplyResult> run(List<CatalogMigration> plan, long started) {
        List<ApplyResult.Step> steps = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // The session's own search_path, restored after each file: a migration may change it
        // (pg_dump output sets it to ''), and neither the history row nor the next migration
        // may depend on that.
        return work.query("SHOW search_path").execute()
                .onItem().invoke(rows -> searchPath = rows.iterator().next().getString(0))
                .onItem().transformToMulti(ignored -> Multi.createFrom().iterable(plan))
                .onItem().transformToUniAndConcatenate(m -> {
                    listener.starting(m);
                    Uni<ApplyResult.Step> step = session.recheck(m).chain(() -> m.transactional()
                            ? withLockRetries(work, m, options, notes, listener, 0)
                            : applyNonTransactional(work, m, options, listener))
                            .onFailure(e -> !(e instanceof SessionLostException))
                            .recoverWithUni(e -> session.failed(m, e, listener::note));
                    return step.onItem().invoke(s -> {
                        steps.add(s);
                        listener.applied(s);
                    }).onFailure(MigrationFailedException.class).transform(e -> new MigrationFailedException(
                            ((MigrationFailedException) e).failure(),
                            new ApplyResult(List.copyOf(steps), plan, false, elapsedMs(started), List.copyOf(notes))));
                })
                .collect().last()
                .onItem().transform(ignored -> new ApplyResult(List.copyOf(steps), plan, false, elapsedMs(started),
                        List.copyOf(notes)));
    }

    /**
     * Applies a transactional migration, retrying it when it hit {@code lock_timeout} (SQLSTATE
     * 55P03): the attempt was rolled back, and the lock is usually held by a short-lived session.
     */
    private Uni<ApplyResult.Step> withLockRetries(SqlConnection work, CatalogMigration m, ApplyOptions options,
                                                  List<String> notes, ProgressListener listener, int attempt) {
        return applyTransactional(work, m, options, notes, listener)
                .onFailure(e -> e instanceof MigrationFailedException f && "55P03".equals(f.failure().sqlState())
                        && attempt < options.lockRetries())
                .recoverWithUni(e -> {
                    long delayMs = 1000L << attempt;
                    listener.note(m.file() + ": " + ((MigrationFailedException) e).failure().message()
                            + " (lock_timeout " + options.lockTimeoutMs() + " ms); rolled back, retry "
                            + (attempt + 1) + " of " + options.lockRetries() + " in " + delayMs + " ms");
                    return Uni.createFrom().voidItem().onItem().delayIt().by(java.time.Duration.ofMillis(delayMs))
                            .chain(() -> withLockRetries(work, m, options, notes, listener, attempt + 1));
                });
    }

    private static String settings(ApplyOptions options, boolean local) {
        String scope = local ? "SET LOCAL " : "SET ";
        return scope + "lock_timeout = " + options.lockTimeoutMs() + ";" + scope + "statement_timeout = "
                + options.statementTimeoutMs() + ";";
    }

    private Uni<ApplyResult.Step> applyTransactional(SqlConnection work, CatalogMigration m, ApplyOptions options,
                                                     List<String> notes, ProgressListener listener) {
        SqlScript script = scripts.apply(m);
        if (script.hasTransactionWrapper()) {
            String note = m.file() + ": its BEGIN/COMMIT wrapper was ignored; Strata runs each migration in its own transaction";
            notes.add(note);
            listener.note(note);
        }
        String prefix = "BEGIN;" + settings(options, true);
        String body = script.executableSql().replace('\uFEFF', ' ');
        long t0 = System.nanoTime();
        if (m.verifier() == Verifier.NONE) {
            // Nothing to check between the SQL and its history row: file, history row and COMMIT
            // travel in one simple-query message (one round trip). The server skips the rest of
            // the message after an error, so the row and the COMMIT only run when the file did.
            String sent = prefix + body + "\n;" + restoreSession() + ";"
                    + SchemaHistory.insertStatement(session.historyTable(), entry(m, null, null, "applied", true, null),
                    SchemaHistory.SERVER_ELAPSED_MS) + ";COMMIT" + RESET_SESSION;
            return work.query(sent).execute()
                    .onItem().transform(ignored -> {
                        long elapsed = ms(t0, System.nanoTime());
                        return new ApplyResult.Step(m, elapsed, 0, elapsed);
                    })
                    .onFailure().recoverWithUni(error -> failed(work, m, script, sent, prefix.length(),
                            new StepError("sql", error), options));
        }
        String sent = prefix + body + "\n;" + restoreSession();
        return work.query(sent).execute()
                .onFailure().transform(error -> new StepError("sql", error))
                .onItem().transform(ignored -> System.nanoTime())
                .chain(sqlDone -> m.verifier().verify(work).onFailure().transform(error -> new StepError("verify", error))
                        .onItem().transform(ignored -> new Timing(t0, sqlDone, System.nanoTime())))
                // history row and COMMIT in one round trip, as above
                .call(timing -> work.query(SchemaHistory.insertStatement(session.historyTable(), entry(m, timing.sqlMs(), timing.verifyMs(),
                                "applied", true, null), null) + ";COMMIT" + RESET_SESSION).execute()
                        .onFailure().transform(error -> new StepError("history", error)))
                .onItem().transform(timing -> timing.step(m))
                .onFailure(StepError.class).recoverWithUni(failure ->
                        failed(work, m, script, sent, prefix.length(), (StepError) failure, options));
    }

    private Uni<ApplyResult.Step> failed(SqlConnection work, CatalogMigration m, SqlScript script, String sent,
                                         int prefixLength, StepError stepError, ApplyOptions options) {
        return rollback(work).chain(() -> FailureRerun.locate(work, m, script, sent, prefixLength, stepError.phase, stepError.getCause(), "BEGIN;" + settings(options, true)))
                .onItem().transformToUni(located -> Uni.createFrom().failure(new MigrationFailedException(located, null)));
    }

    private static Uni<Void> rollback(SqlConnection work) {
        return work.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<ApplyResult.Step> applyNonTransactional(SqlConnection work, CatalogMigration m, ApplyOptions options,
                                                        ProgressListener listener) {
        SqlScript script = scripts.apply(m);
        List<SqlStatement> statements = script.executableStatements();
        long t0 = System.nanoTime();
        Uni<Void> record = SchemaHistory.insert(work, session.historyTable(), entry(m, null, null, "applied", false,
                "started; the process ended before the migration finished"));
        // progress is written after every statement (each commits on its own), so repair knows
        // exactly which statements ran, even when this process is killed
        return SchemaHistory.ensureProgressColumn(work, session.historyTable()).chain(() -> record)
                .chain(() -> SchemaHistory.progress(work, session.historyTable(), m.name(), 0))
                .chain(() -> work.query(settings(options, false)).execute())
                .chain(() -> Multi.createFrom().range(0, statements.size())
                        .onItem().transformToUniAndConcatenate(i -> work.query(statements.get(i).text()).execute()
                                .onFailure().transform(error -> new StatementError(statements.get(i), i, error))
                                .call(() -> SchemaHistory.progress(work, session.historyTable(), m.name(), i + 1)))
                        .collect().last())
                .chain(() -> work.query("RESET ALL").execute())
                .onItem().transform(ignored -> System.nanoTime())
                .chain(sqlDone -> m.verifier().verify(work).onFailure().transform(error -> new StepError("verify", error))
                        .onItem().transform(ignored -> new Timing(t0, sqlDone, System.nanoTime())))
                .call(timing -> updateHistory(work, m, true, null, timing.sqlMs(), timing.verifyMs()))
                .onItem().transform(timing -> timing.step(m))
                .onFailure(error -> error instanceof StatementError || error instanceof StepError)
                .recoverWithUni(error -> {
                    MigrationFailure failure = error instanceof StatementError se
                            ? FailureLocator.fromStatement(m, script, se.statement, se.getCause(), "statement")
                            : FailureLocator.fromVerify(m, error.getCause());
                    int failedIndex = error instanceof StatementError se ? se.index : statements.size();
                    String recorded = "statement " + (failedIndex + 1) + " of " + statements.size() + " failed at "
                            + failure.location() + ": " + (failure.sqlState() == null ? "" : failure.sqlState() + " ")
                            + failure.message();
                    return work.query("RESET ALL").execute().onFailure().recoverWithNull()
                            .chain(() -> updateHistory(work, m, false, recorded, ms(t0, System.nanoTime()), null))
                            .onFailure().recoverWithNull()
                            .chain(() -> Uni.createFrom().failure(new MigrationFailedException(failure, null)));
                });
    }

    /** When a migration started, its SQL finished and its verify step finished ({@link System#nanoTime()}). */
    private record Timing(long started, long sqlDone, long verifyDone) {
        long sqlMs() {
            return ms(started, sqlDone);
        }

        long verifyMs() {
            return ms(sqlDone, verifyDone);
        }

        ApplyResult.Step step(CatalogMigration m) {
            return new ApplyResult.Step(m, sqlMs(), verifyMs(), ms(started, System.nanoTime()));
        }
    }

    private Uni<Void> updateHistory(SqlConnection work, CatalogMigration m, boolean success, String error,
                                    long executionMs, Long verifyMs) {
        return work.preparedQuery(dev.strata.history.HistoryTable.sql("history_update.sql", session.historyTable()))
                .execute(Tuple.of(m.name(), success, error, (int) executionMs).addValue(
                        verifyMs == null ? null : verifyMs.intValue()))
                .replaceWithVoid();
    }

    private SchemaHistory.Entry entry(CatalogMigration m, Long sqlMs, Long verifyMs, String kind, boolean success,
                                      String error) {
        return new SchemaHistory.Entry(m.name(), m.number(), m.checksum(), m.description(),
                sqlMs == null ? null : sqlMs.intValue(), verifyMs == null ? null : verifyMs.intValue(),
                m.dependencies(), kind, success, error, toolVersion);
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private static long elapsedMs(long startedNanos) {
        return ms(startedNanos, System.nanoTime());
    }

    /** A failure in one phase of a transactional migration, before it is located. */
    private static final class StepError extends RuntimeException {
        private final String phase;

        StepError(String phase, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.phase = phase;
        }
    }

    /** A failed statement of a non-transactional migration. */
    private static final class StatementError extends RuntimeException {
        private final transient SqlStatement statement;
        private final int index;

        StatementError(SqlStatement statement, int index, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.statement = statement;
            this.index = index;
        }
    }
}
