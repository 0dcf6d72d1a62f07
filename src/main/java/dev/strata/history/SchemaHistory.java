package dev.strata.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Access to the schema history table ({@code schema_migrations} unless {@link HistoryTable} chose
 * another name; every method takes the table's name); all SQL is in {@code db/strata/}.
 */
public final class SchemaHistory {

    private SchemaHistory() {
    }

    /**
     * Every row, oldest first, without changing anything: an empty list when the table does not
     * exist, and Strata's columns defaulted when the table is still in the old system's layout.
     * One round trip in the common case (the table exists with Strata's columns).
     */
    public static Uni<List<AppliedMigration>> read(SqlClient client, String table) {
        return select(client, table, "history_select.sql")
                .onFailure(e -> hasState(e, "42P01")).recoverWithItem(List.of())
                .onFailure(e -> hasState(e, "42703")).recoverWithUni(() -> select(client, table, "history_select_legacy.sql"));
    }

    /**
     * Every row, oldest first, of a table in Strata's current layout; fails (42P01, 42703, …)
     * when the table is missing or in an older layout, instead of adapting. One round trip.
     */
    public static Uni<List<AppliedMigration>> readStrict(SqlClient client, String table) {
        return select(client, table, "history_select.sql");
    }

    /**
     * Reads every row, first creating the table or adding Strata's columns when the read shows
     * they are missing (undefined table 42P01 or column 42703); one round trip when nothing is
     * missing. Call it while holding the migration lock.
     */
    public static Uni<List<AppliedMigration>> ensureAndRead(SqlClient client, String table) {
        return select(client, table, "history_select.sql")
                .onFailure(e -> hasState(e, "42P01") || hasState(e, "42703"))
                .recoverWithUni(() -> client.query(HistoryTable.sql("schema_history.sql", table)).execute()
                        .chain(() -> select(client, table, "history_select.sql")));
    }

    /** A commit time sent as microseconds since 1970-01-01 UTC (see history_select.sql), in UTC. */
    static java.time.OffsetDateTime fromEpochMicros(Long micros) {
        return micros == null ? null : java.time.OffsetDateTime.ofInstant(
                java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS), java.time.ZoneOffset.UTC);
    }

    private static boolean hasState(Throwable e, String sqlState) {
        return e instanceof io.vertx.pgclient.PgException pg && sqlState.equals(pg.getSqlState());
    }

    private static Uni<List<AppliedMigration>> select(SqlClient client, String table, String resource) {
        return client.query(HistoryTable.sql(resource, table)).execute()
                .onItem().transform(rows -> {
                    List<AppliedMigration> applied = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        applied.add(new AppliedMigration(row.getLong("migration_number"),
                                row.getString("migration_name"), row.getString("checksum"),
                                row.getString("description"), fromEpochMicros(row.getLong("executed_at_us")),
                                row.getInteger("execution_time_ms"), row.getBoolean("success"),
                                row.getString("installed_by"), row.getString("kind"),
                                row.getString("error")));
                    }
                    return applied;
                });
    }

    /**
     * Records a migration as applied without running it, or adopts the old system's row for the
     * same number (see {@code history_baseline.sql}).
     *
     * @return {@code inserted}, {@code adopted}, or null when Strata had recorded it already
     */
    public static Uni<String> baseline(SqlClient client, String table, Entry entry) {
        return client.preparedQuery(HistoryTable.sql("history_baseline.sql", table))
                .execute(Tuple.of(entry.name(), entry.number(), entry.checksum(),
                        entry.description() == null ? "" : entry.description(),
                        entry.dependencies().toArray(Long[]::new), entry.toolVersion()))
                .onItem().transform(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /**
     * Marks a failed migration applied (after its verify passed), taking the file's checksum.
     *
     * @return true when a failed row was updated
     */
    public static Uni<Boolean> markRepaired(SqlClient client, String table, long number, String checksum, String toolVersion) {
        return client.preparedQuery(HistoryTable.sql("history_repair.sql", table))
                .execute(Tuple.of(number, checksum, toolVersion))
                .onItem().transform(rows -> rows.rowCount() > 0);
    }

    /**
     * Marks a failed migration applied with no check at all ({@code repair --mark-applied}).
     *
     * @return true when a failed row was updated
     */
    public static Uni<Boolean> markAppliedUnchecked(SqlClient client, String table, long number, String checksum, String toolVersion) {
        return client.preparedQuery(HistoryTable.sql("history_repair_unchecked.sql", table))
                .execute(Tuple.of(number, checksum, toolVersion))
                .onItem().transform(rows -> rows.rowCount() > 0);
    }

    /**
     * Adds the {@code statements_done} column to a table written by an older Strata (running
     * {@code schema_history.sql}); nothing when it is there. Call it under the migration lock.
     */
    public static Uni<Void> ensureProgressColumn(SqlClient client, String table) {
        return client.query(HistoryTable.sql("history_progress_column.sql", table)).execute()
                .onItem().transformToUni(rows -> rows.iterator().next().getLong(0) > 0 ? Uni.createFrom().voidItem()
                        : client.query(HistoryTable.sql("schema_history.sql", table)).execute().replaceWithVoid());
    }

    /** Records that the first {@code done} statements of non-transactional migration {@code name} completed. */
    public static Uni<Void> progress(SqlClient client, String table, String name, int done) {
        return client.preparedQuery(HistoryTable.sql("history_progress.sql", table)).execute(Tuple.of(name, done))
                .replaceWithVoid();
    }

    /**
     * The recorded progress of a failed row.
     *
     * @param statementsDone statements completed in order, null when not recorded
     * @param checksum       checksum of the file that ran
     */
    public record Progress(Integer statementsDone, String checksum) {
    }

    /** The progress of migration {@code number}'s failed row, or null when it has none. */
    public static Uni<Progress> progress(SqlClient client, String table, long number) {
        return client.preparedQuery(HistoryTable.sql("history_progress_select.sql", table)).execute(Tuple.of(number))
                .onItem().transform(rows -> rows.size() == 0 ? null : new Progress(
                        rows.iterator().next().getInteger(0), rows.iterator().next().getString(1)));
    }

    /** Replaces the error text of migration {@code number}'s failed row. */
    public static Uni<Void> recordError(SqlClient client, String table, long number, String error) {
        return client.preparedQuery(HistoryTable.sql("history_error.sql", table)).execute(Tuple.of(number, error))
                .replaceWithVoid();
    }

    /**
     * The row to insert for one migration; pass it to {@link #insert}.
     *
     * @param executionTimeMs ms, may be null
     * @param verifyTimeMs    ms, may be null
     */
    public record Entry(String name, long number, String checksum, String description,
                        Integer executionTimeMs, Integer verifyTimeMs, List<Long> dependencies,
                        String kind, boolean success, String error, String toolVersion) {
    }

    /**
     * SQL for the time since the server received the current query message, in ms: in a
     * multi-statement simple query it measures the statements before it (PostgreSQL docs,
     * "Date/Time Functions": statement_timestamp() is the receipt of the latest client message).
     */
    public static final String SERVER_ELAPSED_MS =
            "(extract(epoch FROM clock_timestamp() - statement_timestamp()) * 1000)::integer";

    /**
     * {@code history_insert.sql} with the values written as SQL literals, to append to a
     * simple-query message (which carries no parameters). Strings are escaped as {@code E'…'}
     * literals, so the result is safe whatever {@code standard_conforming_strings} says.
     *
     * @param executionTimeSql an SQL expression for execution_time_ms, or null to use the entry's value
     */
    public static String insertStatement(String table, Entry entry, String executionTimeSql) {
        String[] values = {
            literal(entry.name()), String.valueOf(entry.number()), literal(entry.checksum()),
            literal(entry.description() == null ? "" : entry.description()),
            executionTimeSql != null ? executionTimeSql : String.valueOf(entry.executionTimeMs()),
            entry.verifyTimeMs() == null ? "NULL" : String.valueOf(entry.verifyTimeMs()),
            "'{" + String.join(",", entry.dependencies().stream().map(String::valueOf).toList()) + "}'::bigint[]",
            literal(entry.kind()), String.valueOf(entry.success()), literal(entry.error()), literal(entry.toolVersion())};
        // Comment lines go first (a value must never land in one), then every $n is replaced in
        // a single pass, so a value that itself contains "$2" is never substituted again.
        String sql = HistoryTable.sql("history_insert.sql", table).lines()
                .filter(line -> !line.stripLeading().startsWith("--"))
                .collect(java.util.stream.Collectors.joining("\n")).strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$(\\d+)").matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(values[Integer.parseInt(m.group(1)) - 1]));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String literal(String value) {
        return value == null ? "NULL" : "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'";
    }

    /** Inserts one row, on the caller's connection and transaction. */
    public static Uni<Void> insert(SqlClient client, String table, Entry entry) {
        return client.preparedQuery(HistoryTable.sql("history_insert.sql", table))
                .execute(Tuple.tuple(List.of(entry.name(), entry.number(), entry.checksum(),
                                entry.description() == null ? "" : entry.description()))
                        .addValue(entry.executionTimeMs()).addValue(entry.verifyTimeMs())
                        .addValue(entry.dependencies().toArray(Long[]::new))
                        .addValue(entry.kind()).addValue(entry.success()).addValue(entry.error())
                        .addValue(entry.toolVersion()))
                .replaceWithVoid();
    }
}
