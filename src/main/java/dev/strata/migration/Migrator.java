package dev.strata.migration;

import dev.strata.config.Database;
import dev.strata.history.AppliedMigration;
import dev.strata.history.MigrationLock;
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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The migration engine: one verb per command (apply, status), over a {@link Catalog} and a
 * {@link Database}. Applies pending migrations forward-only, each in its own transaction together
 * with its verify step and its schema history row, under the migration advisory lock.
 */
public final class Migrator {

    private final Catalog catalog;
    private final Database database;
    private final String toolVersion;

    /**
     * @param catalog     the validated migrations
     * @param database    where to apply them
     * @param toolVersion recorded in each history row
     */
    public Migrator(Catalog catalog, Database database, String toolVersion) {
        this(catalog, database, toolVersion, Set.of());
    }

    /**
     * @param promotedRules safety rules whose warnings count as errors
     */
    public Migrator(Catalog catalog, Database database, String toolVersion, Set<String> promotedRules) {
        this.catalog = catalog;
        this.database = database;
        this.toolVersion = toolVersion;
        this.promotedRules = Set.copyOf(promotedRules);
    }

    private final Set<String> promotedRules;

    /**
     * Scans every migration with the SQL safety scanner; called before any connection by every
     * path that applies migrations.
     *
     * @return the warnings
     * @throws SafetyViolationException when a migration has an error finding
     */
    public List<dev.strata.sql.Finding> preflight() {
        return SafetyCheck.refuseErrors(catalog, promotedRules, scripts);
    }

    /** Scripts parsed by the preflight scan, by migration number, reused when the migrations run. */
    private final java.util.Map<Long, SqlScript> scripts = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Compares the catalog with the schema history (one connection, no lock, nothing written).
     *
     * @return the report; fails with a {@code ConnectionException} when the database is unreachable
     */
    public Uni<StatusReport> status() {
        return database.connect().onItem().transformToUni(connection ->
                SchemaHistory.read(connection)
                        .onItem().transform(history -> StatusReport.of(catalog, history, database.settings().redacted()))
                        .onTermination().call(connection::close));
    }

    /**
     * Applies every pending migration (or, with a target, those up to it) in plan order.
     *
     * @return the run's result; the Uni fails with {@link MigrationFailedException} (a migration
     *         was rolled back; earlier ones stay applied), {@link HistoryConflictException},
     *         {@link MigrationLock.LockTimeoutException} or a {@code ConnectionException}
     */
    public Uni<ApplyResult> applyAll(ApplyOptions options, ProgressListener listener) {
        return apply(catalog.migrations(), options, listener);
    }

    /**
     * Applies the given catalog migrations that are pending, in plan order, under the lock.
     *
     * @param selection migrations to consider, a subset of the catalog in plan order
     */
    public Uni<ApplyResult> apply(List<CatalogMigration> selection, ApplyOptions options, ProgressListener listener) {
        long started = System.nanoTime();
        try {
            preflight();
        } catch (SafetyViolationException e) {
            return Uni.createFrom().failure(e);
        }
        if (options.dryRun()) {
            return status().onItem().transform(report -> new ApplyResult(List.of(),
                    pending(report, selection, options), true, elapsedMs(started), List.of()));
        }
        return underLock(options.lockWait(), listener, (work, history) -> {
            StatusReport report = StatusReport.of(catalog, history, database.settings().redacted());
            refuseConflicts(report);
            List<CatalogMigration> plan = pending(report, selection, options);
            if (plan.isEmpty()) {
                return Uni.createFrom().item(new ApplyResult(List.of(), plan, false, elapsedMs(started), List.of()));
            }
            return work.get().chain(connection -> run(connection, plan, options, listener, started));
        });
    }

    /**
     * Applies one migration, and with {@code withDependencies} its pending dependencies first (in
     * plan order). Without it, refuses when a dependency is not applied yet.
     *
     * @return the run's result (nothing applied when N was applied already); fails with a
     *         {@code ConfigException} naming the unapplied dependencies, or as {@link #applyAll}
     */
    public Uni<ApplyResult> applyOne(long number, boolean withDependencies, ApplyOptions options,
                                     ProgressListener listener) {
        CatalogMigration target = catalog.find(number).orElse(null);
        if (target == null) {
            return Uni.createFrom().failure(new dev.strata.config.ConfigException("no migration "
                    + CatalogMigration.format(number) + " in " + catalog.location() + "; run strata list to see the numbers"));
        }
        try {
            preflight();
        } catch (SafetyViolationException e) {
            return Uni.createFrom().failure(e);
        }
        long started = System.nanoTime();
        List<CatalogMigration> selection = catalog.withDependencies(number);
        return underLock(options.lockWait(), listener, (work, history) -> {
            StatusReport report = StatusReport.of(catalog, history, database.settings().redacted());
            refuseConflicts(report);
            List<CatalogMigration> pending = pending(report, selection, options);
            List<CatalogMigration> missing = pending.stream().filter(m -> m.number() != number).toList();
            if (!withDependencies && !missing.isEmpty()) {
                return Uni.createFrom().failure(new dev.strata.config.ConfigException(target.name()
                        + " depends on migrations that are not applied yet: "
                        + String.join(", ", missing.stream().map(CatalogMigration::name).toList())
                        + "; apply them first, or run: strata apply " + number + " --with-dependencies"));
            }
            if (options.dryRun() || pending.isEmpty()) {
                return Uni.createFrom().item(new ApplyResult(List.of(), pending, options.dryRun(), elapsedMs(started),
                        List.of()));
            }
            return work.get().chain(connection -> run(connection, pending, options, listener, started));
        });
    }

    /**
     * Runs {@code body} while the migration lock is held. The lock's own connection ensures and
     * reads the history (it stays idle afterwards); {@code body} gets a second connection on
     * demand for the migrations themselves, so a run with nothing to do opens only one. Releases
     * the lock and closes both connections however {@code body} ends.
     */
    <T> Uni<T> underLock(java.time.Duration lockWait, ProgressListener listener,
                         java.util.function.BiFunction<WorkConnection, List<AppliedMigration>, Uni<T>> body) {
        return database.connect().onItem().transformToUni(lockConnection ->
                MigrationLock.acquire(lockConnection, lockWait, 250, listener::note)
                        .onItem().transformToUni(lock -> {
                            WorkConnection work = new WorkConnection(database);
                            return SchemaHistory.ensureAndRead(lockConnection)
                                    .onItem().transformToUni(history -> adopted(lockConnection, history, listener))
                                    .onItem().transformToUni(history -> body.apply(work, history))
                                    .onTermination().call(work::close)
                                    .onTermination().call(() -> lock.release().onFailure().recoverWithNull());
                        })
                        .onTermination().call(lockConnection::close));
    }

    /** False to leave another tool's history table unread ({@code --adopt off}); true by default. */
    public Migrator adoption(boolean on) {
        this.adopt = on;
        return this;
    }

    private boolean adopt = true;

    /**
     * On first contact, adopts the history of the tool whose layout the catalog is in (see
     * {@link dev.strata.history.Adoption}); the history as it is afterwards.
     *
     * @throws HistoryConflictException (in the Uni) naming the other tool's rows that cannot be adopted
     */
    private Uni<List<AppliedMigration>> adopted(SqlConnection connection, List<AppliedMigration> history,
                                                ProgressListener listener) {
        if (!adopt || !"flyway".equals(catalog.layout())) {
            return Uni.createFrom().item(history);
        }
        List<dev.strata.history.Adoption.Candidate> candidates = catalog.migrations().stream()
                .map(m -> new dev.strata.history.Adoption.Candidate(m.name(), m.number(), m.file(), m.sql(), m.checksum()))
                .toList();
        return dev.strata.history.Adoption.adopt(connection, history, candidates, toolVersion).chain(result -> {
            if (!result.problems().isEmpty()) {
                List<String> problems = new java.util.ArrayList<>(result.problems());
                problems.add("nothing adopted from " + result.source() + " and nothing run; fix the above, or pass "
                        + "--adopt off to ignore " + result.source());
                return Uni.createFrom().failure(new HistoryConflictException(problems));
            }
            if (result.entries().isEmpty()) {
                return Uni.createFrom().item(history);
            }
            listener.note("Adopted " + result.entries().size() + " migrations from " + result.source()
                    + " (recorded as " + result.entries().get(0).kind() + ")");
            return SchemaHistory.read(connection);
        });
    }

    /** The connection migrations run on, opened on first use and closed by {@link #underLock}. */
    static final class WorkConnection {
        private final Database database;
        private SqlConnection connection;

        WorkConnection(Database database) {
            this.database = database;
        }

        /** The connection, opening it on first use. */
        Uni<SqlConnection> get() {
            if (connection != null) {
                return Uni.createFrom().item(connection);
            }
            return database.connect().onItem().invoke(c -> connection = c);
        }

        Uni<Void> close() {
            return connection == null ? Uni.createFrom().voidItem() : connection.close();
        }
    }

    /** The database this migrator works on. */
    Database database() {
        return database;
    }

    /** The version recorded in history rows. */
    String toolVersion() {
        return toolVersion;
    }

    private List<CatalogMigration> pending(StatusReport report, List<CatalogMigration> selection, ApplyOptions options) {
        Set<Long> pendingNumbers = report.in(MigrationState.PENDING).stream()
                .map(StatusReport.Entry::number).collect(Collectors.toSet());
        Set<Long> wanted = options.target() == null ? null : catalog.migrations().stream()
                .filter(m -> m.number() <= options.target())
                .flatMap(m -> catalog.withDependencies(m.number()).stream())
                .map(CatalogMigration::number).collect(Collectors.toSet());
        Set<Long> targetSet = wanted;
        return selection.stream().filter(m -> pendingNumbers.contains(m.number()))
                .filter(m -> targetSet == null || targetSet.contains(m.number())).toList();
    }

    private static void refuseConflicts(StatusReport report) {
        List<String> problems = new ArrayList<>();
        for (StatusReport.Entry e : report.entries()) {
            switch (e.state()) {
                case CHANGED -> problems.add(e.migration().orElseThrow().file() + ": changed after it was applied "
                        + "(recorded checksum " + e.applied().orElseThrow().checksum() + ", file now "
                        + e.migration().orElseThrow().checksum() + "); applied migrations are immutable: "
                        + "restore the file and put the change in a new migration (strata create)");
                case FAILED -> problems.add(e.migration().orElseThrow().file() + ": failed part-way in an earlier run ("
                        + e.applied().orElseThrow().error() + "); fix the database, then run: strata repair "
                        + e.number());
                case UNKNOWN -> problems.add("database records migration " + e.name() + " (number "
                        + CatalogMigration.format(e.number()) + "), which is not in the catalog; deploy the code "
                        + "that contains it, or check --location");
                default -> { }
            }
        }
        if (!problems.isEmpty()) {
            throw new HistoryConflictException(problems);
        }
    }

    /** The work connection's search_path before any migration ran (from SHOW search_path). */
    private volatile String searchPath = "\"$user\", public";

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

    private Uni<ApplyResult> run(SqlConnection work, List<CatalogMigration> plan, ApplyOptions options,
                                 ProgressListener listener, long started) {
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
                    Uni<ApplyResult.Step> step = m.transactional()
                            ? withLockRetries(work, m, options, notes, listener, 0)
                            : applyNonTransactional(work, m, options, listener);
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
        SqlScript script = script(m);
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
                    + SchemaHistory.insertStatement(entry(m, null, null, "applied", true, null),
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
        long[] marks = new long[2];
        return work.query(sent).execute()
                .onFailure().transform(error -> new StepError("sql", error))
                .chain(() -> {
                    marks[0] = System.nanoTime();
                    return m.verifier().verify(work).onFailure().transform(error -> new StepError("verify", error));
                })
                .chain(() -> {
                    marks[1] = System.nanoTime();
                    // history row and COMMIT in one round trip, as above
                    return work.query(SchemaHistory.insertStatement(entry(m, ms(t0, marks[0]), ms(marks[0], marks[1]),
                                    "applied", true, null), null) + ";COMMIT" + RESET_SESSION).execute()
                            .onFailure().transform(error -> new StepError("history", error));
                })
                .onItem().transform(ignored -> new ApplyResult.Step(m, ms(t0, marks[0]), ms(marks[0], marks[1]),
                        ms(t0, System.nanoTime())))
                .onFailure(StepError.class).recoverWithUni(failure ->
                        failed(work, m, script, sent, prefix.length(), (StepError) failure, options));
    }

    private Uni<ApplyResult.Step> failed(SqlConnection work, CatalogMigration m, SqlScript script, String sent,
                                         int prefixLength, StepError stepError, ApplyOptions options) {
        return rollback(work).chain(() -> locate(work, m, script, sent, prefixLength, stepError, options))
                .onItem().transformToUni(located -> Uni.createFrom().failure(new MigrationFailedException(located, null)));
    }

    /** The migration's parsed script: the one the preflight scan made, or a new parse. */
    private SqlScript script(CatalogMigration m) {
        SqlScript parsed = scripts.get(m.number());
        return parsed != null ? parsed : SqlScript.parse(m.file(), m.executableSql());
    }

    private Uni<MigrationFailure> locate(SqlConnection work, CatalogMigration m, SqlScript script, String sent,
                                         int prefixLength, StepError stepError, ApplyOptions options) {
        Throwable error = stepError.getCause();
        if ("verify".equals(stepError.phase)) {
            return Uni.createFrom().item(FailureLocator.fromVerify(m, error));
        }
        MigrationFailure failure = FailureLocator.fromSql(m, script, sent, prefixLength, error);
        if (!"sql".equals(stepError.phase) || !FailureLocator.worthRerun(error, failure, script)) {
            return Uni.createFrom().item(failure);
        }
        String refused = FailureLocator.transactionControl(script);
        if (refused != null) {
            return Uni.createFrom().item(FailureLocator.notLocated(failure, refused));
        }
        // No position from the server (e.g. a constraint violation): re-run the statements one
        // by one in a transaction that is always rolled back, to find the one that fails. Each
        // goes alone through the extended protocol, which refuses a text the server reads as
        // several commands, so a COMMIT hidden from the scanner cannot run; the transaction id is
        // compared after every statement, so an end of the transaction by other means is seen.
        return work.query("BEGIN;" + settings(options, true)).execute()
                .chain(() -> work.query(SqlResources.get("locator_begin.sql")).execute())
                .onItem().transform(rows -> rows.iterator().next().getLong(0))
                .chain(xid -> rerun(work, m, script, script.executableStatements(), 0, xid))
                .onFailure(FailureLocator.InDoubt.class)
                .recoverWithItem(e -> FailureLocator.notLocated(failure, e.getMessage()))
                .onFailure().recoverWithItem(e -> FailureLocator.notLocated(failure,
                        "the re-run itself failed (" + e.getMessage() + ")"))
                .call(() -> rollback(work))
                .onItem().transform(found -> found != null ? found : FailureLocator.notLocated(failure,
                        "every statement ran without the error when re-run one by one"));
    }

    private Uni<MigrationFailure> rerun(SqlConnection work, CatalogMigration m, SqlScript script,
                                        List<SqlStatement> statements, int index, long xid) {
        if (index >= statements.size()) {
            return Uni.createFrom().nullItem();
        }
        SqlStatement statement = statements.get(index);
        return work.preparedQuery(statement.text()).execute()
                .onItem().transformToUni(ok -> work.query(SqlResources.get("locator_txid.sql")).execute()
                        .onFailure().transform(e -> new FailureLocator.InDoubt("the transaction could not be checked "
                                + "after the statement at " + statement.position() + " (" + e.getMessage() + ")")))
                .onItem().transformToUni(rows -> {
                    Long now = rows.iterator().next().getLong(0);
                    if (now == null || now != xid) {
                        return Uni.createFrom().failure(new FailureLocator.InDoubt("the re-run's transaction ended at "
                                + m.file() + ":" + statement.position().line() + ":" + statement.position().column()
                                + "; statements up to there may have committed: check the database"));
                    }
                    return rerun(work, m, script, statements, index + 1, xid);
                })
                .onFailure(e -> !(e instanceof FailureLocator.InDoubt)).recoverWithUni(error -> {
                    String doubt = FailureLocator.doubt(error, m, statement);
                    return doubt != null ? Uni.createFrom().failure(new FailureLocator.InDoubt(doubt))
                            : Uni.createFrom().item(FailureLocator.fromStatement(m, script, statement, error,
                                    "statement re-run"));
                });
    }

    private static Uni<Void> rollback(SqlConnection work) {
        return work.query("ROLLBACK").execute().replaceWithVoid().onFailure().recoverWithNull();
    }

    private Uni<ApplyResult.Step> applyNonTransactional(SqlConnection work, CatalogMigration m, ApplyOptions options,
                                                        ProgressListener listener) {
        SqlScript script = script(m);
        List<SqlStatement> statements = script.executableStatements();
        long t0 = System.nanoTime();
        long[] marks = new long[2];
        int[] done = {0};
        Uni<Void> record = SchemaHistory.insert(work, entry(m, null, null, "applied", false,
                "started; the process ended before the migration finished"));
        // progress is written after every statement (each commits on its own), so repair knows
        // exactly which statements ran, even when this process is killed
        return SchemaHistory.ensureProgressColumn(work).chain(() -> record)
                .chain(() -> SchemaHistory.progress(work, m.name(), 0))
                .chain(() -> work.query(settings(options, false)).execute())
                .chain(() -> Multi.createFrom().iterable(statements)
                        .onItem().transformToUniAndConcatenate(statement -> work.query(statement.text()).execute()
                                .onItem().invoke(() -> done[0]++)
                                .onFailure().transform(error -> new StatementError(statement, error))
                                .call(() -> SchemaHistory.progress(work, m.name(), done[0])))
                        .collect().last())
                .chain(() -> work.query("RESET ALL").execute())
                .chain(() -> {
                    marks[0] = System.nanoTime();
                    return m.verifier().verify(work).onFailure().transform(error -> new StepError("verify", error));
                })
                .chain(() -> {
                    marks[1] = System.nanoTime();
                    return updateHistory(work, m, true, null, ms(t0, marks[0]), ms(marks[0], marks[1]));
                })

                .onItem().transform(ignored -> new ApplyResult.Step(m, ms(t0, marks[0]), ms(marks[0], marks[1]),
                        ms(t0, System.nanoTime())))
                .onFailure(error -> error instanceof StatementError || error instanceof StepError)
                .recoverWithUni(error -> {
                    MigrationFailure failure = error instanceof StatementError se
                            ? FailureLocator.fromStatement(m, script, se.statement, se.getCause(), "statement")
                            : FailureLocator.fromVerify(m, error.getCause());
                    String recorded = "statement " + (done[0] + 1) + " of " + statements.size() + " failed at "
                            + failure.location() + ": " + (failure.sqlState() == null ? "" : failure.sqlState() + " ")
                            + failure.message();
                    return work.query("RESET ALL").execute().onFailure().recoverWithNull()
                            .chain(() -> updateHistory(work, m, false, recorded, ms(t0, System.nanoTime()), null))
                            .onFailure().recoverWithNull()
                            .chain(() -> Uni.createFrom().failure(new MigrationFailedException(failure, null)));
                });
    }

    private static Uni<Void> updateHistory(SqlConnection work, CatalogMigration m, boolean success, String error,
                                           long executionMs, Long verifyMs) {
        return work.preparedQuery(SqlResources.get("history_update.sql"))
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

        StatementError(SqlStatement statement, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.statement = statement;
        }
    }

    /** The catalog this migrator works on. */
    public Catalog catalog() {
        return catalog;
    }

    /** Numbers and rows of the history, for callers that need the raw rows. */
    public Uni<List<AppliedMigration>> history() {
        return database.connect().onItem().transformToUni(connection ->
                SchemaHistory.read(connection).onTermination().call(connection::close));
    }
}
