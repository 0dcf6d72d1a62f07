package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConnectionPool;
import dev.strata.history.AppliedMigration;
import dev.strata.history.HistoryTable;
import dev.strata.history.MigrationLock;
import dev.strata.history.SchemaHistory;
import dev.strata.sql.SqlScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The migration engine: one verb per command (apply, status), over a {@link Catalog} and a
 * {@link ConnectionPool}. Applies pending migrations forward-only, each in its own transaction together
 * with its verify step and its schema history row, under the migration advisory lock.
 */
public final class Migrator {

    private final Catalog catalog;
    private final ConnectionPool database;
    private final String toolVersion;

    /**
     * @param catalog     the validated migrations
     * @param database    where to apply them
     * @param toolVersion recorded in each history row
     */
    public Migrator(Catalog catalog, ConnectionPool database, String toolVersion) {
        this(catalog, database, toolVersion, Set.of());
    }

    /**
     * @param promotedRules safety rules whose warnings count as errors
     */
    public Migrator(Catalog catalog, ConnectionPool database, String toolVersion, Set<String> promotedRules) {
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
        List<dev.strata.sql.Finding> done = scanned;
        if (done == null) {
            done = Preflight.refuseErrors(catalog, promotedRules, scripts);
            scanned = done;
        }
        return done;
    }

    /** The warnings of a passed preflight scan, kept so that a fleet scans the catalog once. */
    private volatile List<dev.strata.sql.Finding> scanned;

    /**
     * A migrator for another database over the same catalog that reuses this one's preflight scan
     * (a fleet scans once, then runs one migrator per target).
     */
    public Migrator on(ConnectionPool other) {
        Migrator migrator = new Migrator(catalog, other, toolVersion, promotedRules);
        migrator.scripts.putAll(scripts);
        migrator.scanned = scanned;
        migrator.adopt = adopt;
        migrator.historyTable = historyTable;
        return migrator;
    }

    /** Scripts parsed by the preflight scan, by migration number, reused when the migrations run. */
    private final java.util.Map<Long, SqlScript> scripts = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Compares the catalog with the schema history (one connection, no lock, nothing written;
     * one round trip after the login when the history is in {@code schema_migrations}).
     *
     * @return the report; fails with a {@code ConnectionException} when the database is unreachable
     */
    public Uni<StatusReport> status() {
        return database.connect().onItem().transformToUni(connection -> {
            // The choice of the history table and a strict read of the default one are sent
            // together (pipelined, one round trip); the read counts when the choice names that
            // table, otherwise the chosen table is read after the choice, as it is.
            boolean auto = historyTable == null || historyTable.equalsIgnoreCase("auto");
            Uni<java.util.Optional<List<AppliedMigration>>> guess = chosen == null && auto
                    ? SchemaHistory.readStrict(connection, HistoryTable.DEFAULT).map(java.util.Optional::of)
                            .onFailure().recoverWithItem(java.util.Optional.empty())
                    : Uni.createFrom().item(java.util.Optional.empty());
            return Uni.combine().all().unis(table(connection), guess).asTuple()
                    .chain(t -> {
                        String table = t.getItem1();
                        Uni<List<AppliedMigration>> history = HistoryTable.DEFAULT.equals(table) && t.getItem2().isPresent()
                                ? Uni.createFrom().item(t.getItem2().get()) : SchemaHistory.read(connection, table);
                        return history.map(h -> StatusReport.of(catalog, h, database.settings().redacted(), table));
                    })
                    .onTermination().call(connection::close);
        });
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
        return decideAndRun(options, listener, report -> pending(report, selection, options));
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
            return Uni.createFrom().failure(new dev.strata.db.ConfigException("no migration "
                    + CatalogMigration.format(number) + " in " + catalog.location() + "; run strata list to see the numbers"));
        }
        List<CatalogMigration> selection = catalog.withDependencies(number);
        return decideAndRun(options, listener, report -> {
            List<CatalogMigration> pending = pending(report, selection, options);
            List<CatalogMigration> missing = pending.stream().filter(m -> m.number() != number).toList();
            if (!withDependencies && !missing.isEmpty()) {
                throw new dev.strata.db.ConfigException(target.name()
                        + " depends on migrations that are not applied yet: "
                        + String.join(", ", missing.stream().map(CatalogMigration::name).toList())
                        + "; apply them first, or run: strata apply " + number + " --with-dependencies");
            }
            return pending;
        });
    }

    /**
     * The one decision path of a real run and a dry run: safety scan, history conflicts, plan
     * ({@code decide} may refuse by throwing). Only the real run takes the lock, creates the history
     * table and runs the plan; the dry run reads the history as it is and reports the lock holder.
     * The scan runs when the Uni is subscribed, on the subscriber's thread.
     */
    private Uni<ApplyResult> decideAndRun(ApplyOptions options, ProgressListener listener,
                                          java.util.function.Function<StatusReport, List<CatalogMigration>> decide) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            preflight();
            if (options.dryRun()) {
                return inspect(options.lockWait(), listener, history -> new ApplyResult(List.of(),
                        decide.apply(checked(history)), true, elapsedMs(started), List.of()));
            }
            // A no-op is decided from the history read on connecting, without the lock (see
            // MigrationSession.historyBeforeLock): one connection, one round trip after the login.
            java.util.function.Function<List<AppliedMigration>, ApplyResult> nothingToDo = history -> {
                if (adopt && "flyway".equals(catalog.layout())) {
                    return null;
                }
                try {
                    return decide.apply(checked(history)).isEmpty()
                            ? new ApplyResult(List.of(), List.of(), false, elapsedMs(started), List.of()) : null;
                } catch (RuntimeException e) {
                    return null; // refusals are decided, and reported, from the history read under the lock
                }
            };
            return underLock(options.lockWait(), listener, nothingToDo, (work, history) -> {
                List<CatalogMigration> plan = decide.apply(checked(history));
                if (plan.isEmpty()) {
                    return Uni.createFrom().item(new ApplyResult(List.of(), plan, false, elapsedMs(started), List.of()));
                }
                return new MigrationExecutor(work.session(), toolVersion, this::script, options, listener).run(plan, started);
            });
        });
    }

    /** The history compared with the catalog, refused as a real run refuses it. */
    private StatusReport checked(List<AppliedMigration> history) {
        StatusReport report = StatusReport.of(catalog, history, database.settings().redacted());
        refuseConflicts(report);
        return report;
    }

    /**
     * What a dry run looks at: the history as it is (not created when missing) and who holds the
     * migration lock (reported through the listener, neither taken nor waited for).
     */
    private <T> Uni<T> inspect(java.time.Duration lockWait, ProgressListener listener,
                               java.util.function.Function<List<AppliedMigration>, T> body) {
        return database.connect().onItem().transformToUni(connection -> MigrationLock.holder(connection)
                .onItem().invoke(who -> {
                    if (who != null) {
                        listener.note("the migration lock is held by " + who + "; a real run would wait up to "
                                + lockWait.toMillis() + " ms for it");
                    }
                })
                .chain(() -> table(connection)).chain(table -> SchemaHistory.read(connection, table))
                .onItem().transform(body)
                .onTermination().call(connection::close));
    }

    /**
     * Runs {@code body} while the migration lock is held, on the session that holds it (see
     * {@link MigrationSession}): the history is ensured and read there, after the lock, and
     * {@code body}'s migrations, verify steps and history writes run there too. A liveness probe
     * bounds how long the run waits for a silent server. Releases the lock and closes the
     * session however {@code body} ends.
     */
    <T> Uni<T> underLock(java.time.Duration lockWait, ProgressListener listener,
                         java.util.function.BiFunction<WorkConnection, List<AppliedMigration>, Uni<T>> body) {
        return underLock(lockWait, listener, history -> null, body);
    }

    /**
     * As {@link #underLock(java.time.Duration, ProgressListener, java.util.function.BiFunction)},
     * but first offers the history read on connecting, before the lock, to {@code early}: when it
     * returns a result, that is the outcome and the lock is never taken (a no-op run); when it
     * returns null, the run goes on under the lock with the history table chosen and the history
     * read again there. The early read only counts when it read the table the choice names
     * (see {@link MigrationSession#connect}).
     */
    <T> Uni<T> underLock(java.time.Duration lockWait, ProgressListener listener,
                         java.util.function.Function<List<AppliedMigration>, T> early,
                         java.util.function.BiFunction<WorkConnection, List<AppliedMigration>, Uni<T>> body) {
        return MigrationSession.connect(database, lockWait, historyTable).onItem().transformToUni(unlocked -> {
            T done = unlocked.historyBeforeLock() == null ? null : early.apply(unlocked.historyBeforeLock());
            if (done != null) {
                return unlocked.close().replaceWith(done);
            }
            return unlocked.lock(listener::note).onItem().transformToUni(session ->
                    session.guard(choice(session.connection())
                                    .invoke(choice -> {
                                        if (choice.note() != null) {
                                            listener.note(choice.note());
                                        }
                                        session.historyTable(choice.name());
                                    })
                                    .chain(choice -> SchemaHistory.ensureAndRead(session.connection(), choice.name()))
                                    .onItem().transformToUni(history -> adopted(session.connection(), session.historyTable(),
                                            history, listener))
                                    .onItem().transformToUni(history -> body.apply(new WorkConnection(session), history)),
                            database.unresponsiveTimeout())
                            .onTermination().call(session::close));
        });
    }

    /**
     * The history table to use: a name, or null / {@code auto} for {@link HistoryTable}'s choice
     * ({@code --history-table}, {@code STRATA_HISTORY_TABLE}).
     *
     * @throws dev.strata.db.ConfigException for a name Strata cannot put into its SQL as it is
     */
    public Migrator historyTable(String name) {
        String problem = name == null || name.equalsIgnoreCase("auto") ? null : HistoryTable.problem(name);
        if (problem != null) {
            throw new dev.strata.db.ConfigException("history table: " + problem + " (--history-table, STRATA_HISTORY_TABLE)");
        }
        this.historyTable = name;
        this.chosen = null;
        return this;
    }

    private String historyTable;

    /** The history table chosen for this migrator's database, once known. */
    private volatile String chosen;

    /**
     * The history table of this migrator's database: chosen on first use (one query on
     * {@code client}, see {@link HistoryTable#choose}), then the same for every later call; only
     * the first choice carries its note.
     */
    Uni<HistoryTable.Choice> choice(SqlConnection client) {
        String known = chosen;
        if (known != null) {
            return Uni.createFrom().item(new HistoryTable.Choice(known, null));
        }
        return HistoryTable.choose(client, historyTable).invoke(c -> chosen = c.name())
                .onFailure(IllegalStateException.class).transform(e -> new HistoryConflictException(List.of(e.getMessage())));
    }

    /** The name of this migrator's history table (see {@link #choice}). */
    Uni<String> table(SqlConnection client) {
        return choice(client).map(HistoryTable.Choice::name);
    }

    /** False to leave another tool's history table unread ({@code --adopt off}); true by default. */
    public Migrator adoption(boolean on) {
        this.adopt = on;
        return this;
    }

    private boolean adopt = true;

    /**
     * On first contact, adopts the history of the tool whose layout the catalog is in (see
     * {@link dev.strata.history.Adoption}), under the migration lock; the history as it is afterwards.
     *
     * @throws HistoryConflictException (in the Uni) naming the other tool's rows that cannot be adopted
     */
    private Uni<List<AppliedMigration>> adopted(SqlConnection connection, String table, List<AppliedMigration> history,
                                                ProgressListener listener) {
        if (!adopt) {
            return Uni.createFrom().item(history);
        }
        List<dev.strata.history.Adoption.Candidate> candidates = catalog.migrations().stream()
                .map(m -> new dev.strata.history.Adoption.Candidate(m.name(), m.number(), m.file(), m.sql(), m.checksum(),
                        m.description()))
                .toList();
        return dev.strata.history.Adoption.adopt(connection, table, history, candidates, catalog.layout(), toolVersion)
                .chain(result -> {
                    if (!result.problems().isEmpty()) {
                        List<String> problems = new ArrayList<>(result.problems());
                        problems.add("nothing adopted from " + result.source() + " and nothing run; fix the above, or pass "
                                + "--adopt off to ignore " + result.source());
                        return Uni.createFrom().failure(new HistoryConflictException(problems));
                    }
                    if (result.entries().isEmpty()) {
                        return Uni.createFrom().item(history);
                    }
                    int count = result.entries().size();
                    listener.note("Adopted " + count + " migration" + (count == 1 ? "" : "s") + " from " + result.source()
                            + " (recorded as " + result.entries().get(0).kind() + ")");
                    return SchemaHistory.read(connection, table);
                });
    }

    /** The lock-holding session, handed to the code that runs under the lock. */
    static final class WorkConnection {
        private final MigrationSession session;

        WorkConnection(MigrationSession session) {
            this.session = session;
        }

        /** The session's connection (the one holding the migration lock). */
        Uni<SqlConnection> get() {
            return Uni.createFrom().item(session.connection());
        }

        MigrationSession session() {
            return session;
        }

        /** The schema history table of this run. */
        String table() {
            return session.historyTable();
        }
    }

    /** The database this migrator works on. */
    ConnectionPool database() {
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

    /** The migration's parsed script: the one the preflight scan made, or a new parse. */
    private SqlScript script(CatalogMigration m) {
        SqlScript parsed = scripts.get(m.number());
        return parsed != null ? parsed : SqlScript.parse(m.file(), m.executableSql());
    }

    /** The catalog this migrator works on. */
    public Catalog catalog() {
        return catalog;
    }

    /** Numbers and rows of the history, for callers that need the raw rows. */
    public Uni<List<AppliedMigration>> history() {
        return database.connect().onItem().transformToUni(connection ->
                table(connection).chain(table -> SchemaHistory.read(connection, table))
                        .onTermination().call(connection::close));
    }

    private static long elapsedMs(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
