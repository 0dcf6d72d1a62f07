package dev.strata.api;

import dev.strata.history.SqlResources;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catalog expectations for a {@link Migration#verify} step, checked in one round trip.
 *
 * <p>Names resolve like unqualified SQL names, through the connection's {@code search_path}
 * ({@code to_regclass}); a schema-qualified name such as {@code crm.clients} works too. Data types
 * are compared with {@code format_type()} output, e.g. {@code uuid}, {@code text},
 * {@code timestamp with time zone}, {@code real[]}, {@code character varying(255)}.
 * The query lives in {@code db/strata/verify_expectations.sql}.
 */
public final class Expect {

    private final List<String> kinds = new ArrayList<>();
    private final List<String> objects = new ArrayList<>();
    private final List<String> details = new ArrayList<>();

    private Expect() {
    }

    /** Starts an empty set of expectations. */
    public static Expect that() {
        return new Expect();
    }

    private Expect add(String kind, String object, String detail) {
        kinds.add(kind);
        objects.add(object);
        details.add(detail);
        return this;
    }

    /** The table (ordinary or partitioned) exists. */
    public Expect table(String table) {
        return add("table", table, null);
    }

    /** Each named table exists. */
    public Expect tables(String... tables) {
        for (String table : tables) {
            table(table);
        }
        return this;
    }

    /** The view or materialized view exists. */
    public Expect view(String view) {
        return add("view", view, null);
    }

    /** The table has each of these columns (any type). */
    public Expect columns(String table, String... columns) {
        for (String column : columns) {
            add("column", table, column);
        }
        return this;
    }

    /** The table has the column with exactly this {@code format_type()} type, e.g. {@code uuid}. */
    public Expect column(String table, String column, String type) {
        return add("column_type", table, column + ":" + type);
    }

    /** The column is declared NOT NULL. */
    public Expect notNull(String table, String column) {
        return add("not_null", table, column);
    }

    /** The index exists (a valid index: an INVALID one left by a failed concurrent build does not count). */
    public Expect index(String index) {
        return add("index", index, null);
    }

    /** The table has a constraint with this name (any type). */
    public Expect constraint(String table, String constraint) {
        return add("constraint", table, constraint);
    }

    /** A function or procedure with this signature exists, e.g. {@code set_updated_at()}. */
    public Expect function(String signature) {
        return add("function", signature, null);
    }

    /** The table has a trigger with this name. */
    public Expect trigger(String table, String trigger) {
        return add("trigger", table, trigger);
    }

    /**
     * Runs every expectation in one query and fails with a {@link VerifyException} listing all
     * unmet ones.
     *
     * @param connection the migration's connection
     */
    public Uni<Void> check(SqlConnection connection) {
        if (kinds.isEmpty()) {
            return Uni.createFrom().voidItem(); // nothing expected, nothing unmet
        }
        return Uni.createFrom().deferred(() -> connection.preparedQuery(query(Set.copyOf(kinds)))
                        .execute(Tuple.of(kinds.toArray(String[]::new), objects.toArray(String[]::new),
                                details.toArray(String[]::new))))
                .onItem().transform(rows -> {
                    // Several expectations on one missing table report it once.
                    Set<String> missing = new LinkedHashSet<>();
                    for (Row row : rows) {
                        missing.add(row.getString("problem"));
                    }
                    if (!missing.isEmpty()) {
                        throw new VerifyException(List.copyOf(missing));
                    }
                    return null;
                });
    }

    /** A WHEN branch of verify_expectations.sql's CASE over the expectation kind. */
    private static final Pattern BRANCH =
            Pattern.compile("(?m)^[ \\t]+WHEN '([a-z_]+)' THEN$");
    /** The CASE's last branch, for a kind without a WHEN. */
    private static final Pattern OTHERWISE =
            Pattern.compile("(?m)^[ \\t]+ELSE 'unknown expectation kind ");

    private static final Map<Set<String>, String> QUERIES = new ConcurrentHashMap<>();

    /**
     * verify_expectations.sql with only the WHEN branches of the given kinds: PostgreSQL plans
     * every branch's subquery whatever the parameters hold, and planning all nine took 4-9 ms of a
     * fresh backend's first verify step (its catalog caches are cold), the three of a typical
     * migration about 1 ms (PostgreSQL 15, EXPLAIN (SUMMARY)). A kind without a branch gets the
     * query's ELSE, which reports it as unknown.
     *
     * @throws IllegalStateException when the resource no longer has the shape this cuts
     */
    static String query(Set<String> kinds) {
        return QUERIES.computeIfAbsent(Set.copyOf(kinds), key -> {
            String sql = SqlResources.get("verify_expectations.sql");
            Matcher otherwise = OTHERWISE.matcher(sql);
            Matcher branch = BRANCH.matcher(sql);
            if (!otherwise.find() || !branch.find() || branch.start() > otherwise.start()) {
                throw new IllegalStateException("verify_expectations.sql has no CASE e.kind WHEN ... ELSE branches");
            }
            StringBuilder out = new StringBuilder(sql.length()).append(sql, 0, branch.start());
            boolean more = true;
            while (more) {
                int start = branch.start();
                String kind = branch.group(1);
                more = branch.find() && branch.start() < otherwise.start();
                if (key.contains(kind)) {
                    out.append(sql, start, more ? branch.start() : otherwise.start());
                }
            }
            return out.append(sql, otherwise.start(), sql.length()).toString();
        });
    }
}
