package dev.strata.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * History adoption in place: on first contact with a database another tool migrated (Strata's
 * history still empty), records in {@code schema_migrations} the migrations that tool applied, as
 * kind {@code adopted-<tool>}, after checking them against the catalog; the other tool's table is
 * only read. Today: Flyway's {@code flyway_schema_history}.
 */
public final class Adoption {

    /** A catalog migration as adoption needs it. */
    public record Candidate(String name, long number, String file, String sql, String checksum) {
    }

    /**
     * What adoption found.
     *
     * @param source   the other tool's table, e.g. {@code flyway_schema_history}; null when there was none
     * @param entries  rows to record
     * @param problems each naming the other tool's row and what to do; adoption records nothing when any
     */
    public record Result(String source, List<SchemaHistory.Entry> entries, List<String> problems) {
    }

    private Adoption() {
    }

    /**
     * Adopts the other tool's history when Strata's own is empty, on the caller's connection (which
     * holds the migration lock), all rows in one transaction.
     *
     * @param history Strata's history as read under the lock
     * @return what was adopted (empty entries when nothing was), or the problems, nothing recorded then
     */
    public static Uni<Result> adopt(SqlConnection connection, List<AppliedMigration> history, List<Candidate> catalog,
                                    String toolVersion) {
        if (!history.isEmpty()) {
            return Uni.createFrom().item(new Result(null, List.of(), List.of()));
        }
        Map<String, Candidate> byName = new HashMap<>();
        catalog.forEach(c -> byName.put(c.name(), c));
        return AdoptionFlyway.rows(connection).chain(rows -> {
            if (rows.isEmpty()) {
                return Uni.createFrom().item(new Result(null, List.of(), List.of()));
            }
            Result result = AdoptionFlyway.match(rows, byName, toolVersion);
            if (!result.problems().isEmpty() || result.entries().isEmpty()) {
                return Uni.createFrom().item(result);
            }
            return record(connection, result.entries()).replaceWith(result);
        });
    }

    private static Uni<Void> record(SqlConnection connection, List<SchemaHistory.Entry> entries) {
        Uni<Void> chain = connection.query("BEGIN").execute().replaceWithVoid();
        for (SchemaHistory.Entry entry : entries) {
            chain = chain.chain(() -> SchemaHistory.insert(connection, entry));
        }
        return chain.chain(() -> connection.query("COMMIT").execute().replaceWithVoid())
                .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
    }
}
