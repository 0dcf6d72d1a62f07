package dev.strata.history;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * History adoption in place: on first contact with a database another tool migrated (Strata's
 * history still empty), records in Strata's history table the migrations that tool applied, as
 * kind {@code adopted-<tool>}, after checking them against the catalog (the tool's checksum where it
 * keeps one, computed here from the file). The other tool's table is only read, never written.
 * The table read is the one of the tool whose layout the catalog is in (a catalog in Strata's own
 * layout reads {@code _sqlx_migrations} when that is the only other tool's table, as sqlx names
 * its files the way Strata does); another tool's table instead of the layout's own is an error
 * rather than a guess. Each tool's reader is a small class beside this one ({@code AdoptionSqlx} …).
 */
public final class Adoption {

    /** The history kind of rows adopted from {@code tool}, e.g. {@code adopted-sqlx}. */
    public static String kind(String tool) {
        return "adopted-" + tool;
    }

    /**
     * The tool whose history a row of this kind was adopted from, e.g. {@code sqlx} for
     * {@code adopted-sqlx}; empty for every other kind.
     */
    public static Optional<String> tool(String kind) {
        return kind != null && kind.startsWith("adopted-") ? Optional.of(kind.substring("adopted-".length()))
                : Optional.empty();
    }

    /** The table a tool keeps its history in (by the tool's default), e.g. {@code _sqlx_migrations}; null for an unknown tool. */
    public static String table(String tool) {
        ToolHistory reader = READERS.get(tool);
        return reader == null ? null : reader.table();
    }

    /** Readers by the layout name of their tool (see {@code dev.strata.catalog.Layouts}). */
    private static final Map<String, ToolHistory> READERS = new LinkedHashMap<>();

    static {
        for (ToolHistory reader : List.of(new AdoptionFlyway(), new AdoptionGolangMigrate(), new AdoptionDbmate(),
                new AdoptionGoose(), new AdoptionSqlx(), new AdoptionPrisma(), new AdoptionDiesel(), new AdoptionSqitch())) {
            READERS.put(reader.tool(), reader);
        }
    }

    /**
     * A catalog migration as adoption needs it.
     *
     * @param name        the schema history key (file or folder name without {@code .sql}, Sqitch's change name)
     * @param number      the migration number
     * @param file        the file as shown to users
     * @param sql         the file's text
     * @param checksum    Strata's checksum (SHA-256 hex of the file)
     * @param description one line
     */
    public record Candidate(String name, long number, String file, String sql, String checksum, String description) {

        /**
         * The version at the front of the name ({@code 20210101000000} of {@code 20210101000000_init},
         * Diesel's {@code 2017-12-30-120000} as {@code 20171230120000}); empty when the name does not
         * start with digits.
         */
        Optional<BigInteger> version() {
            String digits = versionText().replace("-", "");
            return digits.matches("\\d+") ? Optional.of(new BigInteger(digits)) : Optional.empty();
        }

        /** The name up to its first {@code _}, as the tool wrote it. */
        String versionText() {
            int cut = name.indexOf('_');
            return cut < 0 ? name : name.substring(0, cut);
        }

        /** The file's bytes as the tool read them (the catalog decoded them as UTF-8). */
        byte[] bytes() {
            return sql.getBytes(StandardCharsets.UTF_8);
        }
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

    /** The catalog that rows are matched against, with the lookups the readers need. */
    record Catalog(List<Candidate> migrations, String toolVersion) {

        Optional<Candidate> byName(String name) {
            return migrations.stream().filter(c -> c.name().equals(name)).findFirst();
        }

        Optional<Candidate> byVersion(BigInteger version) {
            return migrations.stream().filter(c -> c.version().map(version::equals).orElse(false)).findFirst();
        }

        Optional<Candidate> byVersionText(String version) {
            return migrations.stream().filter(c -> c.versionText().equals(version)).findFirst();
        }

        /** The row to record for {@code m}, adopted from {@code tool}. */
        SchemaHistory.Entry entry(String tool, Candidate m, Integer executionTimeMs) {
            return new SchemaHistory.Entry(m.name(), m.number(), m.checksum(), m.description(), executionTimeMs, null,
                    List.of(), kind(tool), true, null, toolVersion);
        }
    }

    /** One tool's history table: where it is, how to read it and how its rows map onto the catalog. */
    interface ToolHistory {

        /** The tool's layout name, e.g. {@code sqlx}. */
        String tool();

        /** Its history table, as the tool names it by default. */
        String table();

        /** The {@code db/strata/} resource that reads its rows. */
        String select();

        /** The rows matched with the catalog: entries for what the tool applied, or problems naming rows. */
        Result match(List<Row> rows, Catalog catalog);
    }

    private Adoption() {
    }

    /**
     * Adopts the other tool's history when Strata's own is empty, on the caller's connection (which
     * holds the migration lock), all rows in one transaction.
     *
     * @param table   Strata's history table, where adopted rows go
     * @param history Strata's history as read under the lock
     * @param layout  the catalog's layout, e.g. {@code sqlx}: the tool whose table is read
     * @return what was adopted (empty entries when nothing was), or the problems, nothing recorded then
     */
    public static Uni<Result> adopt(SqlConnection connection, String table, List<AppliedMigration> history,
                                    List<Candidate> catalog, String layout, String toolVersion) {
        if (!history.isEmpty()) {
            return Uni.createFrom().item(new Result(null, List.of(), List.of()));
        }
        return connection.query(SqlResources.get("adopt_tables.sql")).execute().chain(rows -> {
            Row found = rows.iterator().next();
            List<String> present = new ArrayList<>();
            READERS.keySet().forEach(tool -> {
                if (Boolean.TRUE.equals(found.getBoolean(tool.replace('-', '_')))) {
                    present.add(tool);
                }
            });
            // sqlx's <version>_<description>.sql is also Strata's own naming, so such a folder is read in
            // the strata layout: there the sqlx table, when it is the only other one, is the folder's tool
            ToolHistory reader = READERS.get("strata".equals(layout) && present.equals(List.of("sqlx")) ? "sqlx" : layout);
            if (reader != null && !reader.tool().equals(layout)) {
                return read(connection, table, reader, catalog, toolVersion);
            }
            if (reader == null || !present.contains(layout)) {
                if (reader == null || present.isEmpty()) {
                    return Uni.createFrom().item(new Result(null, List.of(), List.of()));
                }
                String others = String.join(", ", present.stream().map(t -> READERS.get(t).table() + " (" + t + ")").toList());
                return Uni.createFrom().item(new Result(others, List.of(), List.of("the database has the schema history of "
                        + others + ", not " + reader.table() + " of " + layout + ", the layout of the catalog; pass "
                        + "--layout with the tool that migrated this database if these are its files")));
            }
            return read(connection, table, reader, catalog, toolVersion);
        });
    }

    private static Uni<Result> read(SqlConnection connection, String table, ToolHistory reader, List<Candidate> catalog,
                                    String toolVersion) {
        return connection.query(SqlResources.get(reader.select())).execute().chain(selected -> {
            List<Row> list = new ArrayList<>();
            selected.forEach(list::add);
            Result result = reader.match(list, new Catalog(catalog, toolVersion));
            if (!result.problems().isEmpty() || result.entries().isEmpty()) {
                return Uni.createFrom().item(result);
            }
            return record(connection, table, result.entries()).replaceWith(result);
        });
    }

    private static Uni<Void> record(SqlConnection connection, String table, List<SchemaHistory.Entry> entries) {
        Uni<Void> chain = connection.query("BEGIN").execute().replaceWithVoid();
        for (SchemaHistory.Entry entry : entries) {
            chain = chain.chain(() -> SchemaHistory.insert(connection, table, entry));
        }
        return chain.chain(() -> connection.query("COMMIT").execute().replaceWithVoid())
                .onFailure().call(() -> connection.query("ROLLBACK").execute().onFailure().recoverWithNull());
    }

    /** The digest of {@code bytes} with a JDK algorithm ({@code SHA-384}, {@code SHA-256}, {@code SHA-1}). */
    static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from the JDK", e);
        }
    }

    /** Lower-case hex of {@code bytes}. */
    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The usual ending of a problem about a row that names no catalog migration. */
    static String notInCatalog(String where) {
        return where + " names no migration of the catalog; add its file to the location, or check --location";
    }
}
