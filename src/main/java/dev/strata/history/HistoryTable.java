package dev.strata.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of the table that holds Strata's schema history. By default {@code schema_migrations};
 * golang-migrate ({@code schema_migrations(version bigint, dirty boolean)}) and dbmate
 * ({@code schema_migrations(version varchar)}) keep their own history in a table of that name, so
 * when {@code schema_migrations} exists without Strata's {@code migration_name} column, Strata keeps
 * its history in {@code strata_schema_migrations} instead, and goes on doing so on every later run
 * (that table then exists). The other tool's table is never altered or dropped. An explicit name
 * ({@code --history-table}, {@code STRATA_HISTORY_TABLE}) overrides the choice.
 */
public final class HistoryTable {

    /** Strata's history table unless another tool took the name. */
    public static final String DEFAULT = "schema_migrations";

    /** Where Strata keeps its history when {@code schema_migrations} belongs to another tool. */
    public static final String ALTERNATIVE = "strata_schema_migrations";

    /** An unquoted lower-case identifier, optionally schema-qualified: safe to put into Strata's SQL as is. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    private static final Pattern DEFAULT_IN_SQL = Pattern.compile("\\bschema_migrations\\b");

    private HistoryTable() {
    }

    /**
     * The table chosen for one database.
     *
     * @param name the table, e.g. {@code strata_schema_migrations}
     * @param note why it is not the default, to announce when Strata is about to create it; null otherwise
     */
    public record Choice(String name, String note) {
    }

    /**
     * Why {@code name} cannot be a history table name, or null when it can.
     *
     * @param name as given to {@code --history-table}
     */
    public static String problem(String name) {
        if (name == null || NAME.matcher(name).matches()) {
            return null;
        }
        return "history table name '" + name + "' is not an unquoted lower-case identifier (letters, digits, _ ,"
                + " optionally schema.table); pick another name";
    }

    /**
     * Chooses the history table of the database behind {@code client} (one round trip), read only.
     *
     * @param configured the name given by the user, or null (or {@code auto}) for the automatic choice
     * @return the choice; fails with {@link IllegalStateException} when both {@code schema_migrations} (with
     *         Strata's columns) and {@code strata_schema_migrations} exist, as it cannot tell which is Strata's
     */
    public static Uni<Choice> choose(SqlClient client, String configured) {
        if (configured != null && !configured.equalsIgnoreCase("auto")) {
            return Uni.createFrom().item(new Choice(configured, null));
        }
        return client.query(SqlResources.get("history_table.sql")).execute().map(rows -> decide(rows.iterator().next()));
    }

    private static Choice decide(Row row) {
        boolean defaultExists = row.getBoolean("default_exists");
        boolean defaultIsStrata = row.getBoolean("default_is_strata");
        boolean alternativeExists = row.getBoolean("alternative_exists");
        if (alternativeExists && defaultIsStrata) {
            throw new IllegalStateException("both " + DEFAULT + " and " + ALTERNATIVE + " hold a Strata schema history;"
                    + " pass --history-table (or set STRATA_HISTORY_TABLE) to say which one is this database's");
        }
        if (alternativeExists) {
            return new Choice(ALTERNATIVE, null);
        }
        if (defaultExists && !defaultIsStrata) {
            return new Choice(ALTERNATIVE, DEFAULT + " (columns " + row.getString("default_columns")
                    + ") belongs to another tool and is left as it is; Strata keeps its schema history in " + ALTERNATIVE);
        }
        return new Choice(DEFAULT, null);
    }

    /**
     * Strata's SQL resource {@code db/strata/NAME} for the history table {@code table}: every
     * {@code schema_migrations} in it names {@code table} instead.
     */
    public static String sql(String resource, String table) {
        String text = SqlResources.get(resource);
        return DEFAULT.equals(table) ? text : DEFAULT_IN_SQL.matcher(text).replaceAll(Matcher.quoteReplacement(table));
    }
}
