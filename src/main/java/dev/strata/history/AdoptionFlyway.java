package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Reads which migrations Flyway applied from {@code flyway_schema_history} (never writing it) and
 * checks each against the file in the catalog with Flyway's own checksum, so a file edited since
 * Flyway ran it is caught.
 */
final class AdoptionFlyway implements Adoption.ToolHistory {

    /** The history kind of rows adopted from Flyway. */
    static final String KIND = Adoption.kind("flyway");

    /**
     * Flyway's checksum of a SQL migration: CRC32 over the UTF-8 bytes of each line without its line
     * break, a byte-order mark dropped, as a signed 32-bit integer (Flyway core, ChecksumCalculator).
     */
    static int checksum(String sql) {
        CRC32 crc = new CRC32();
        boolean first = true;
        for (String line : sql.lines().toList()) {
            String text = first && line.startsWith("\uFEFF") ? line.substring(1) : line;
            first = false;
            crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }

    @Override
    public String tool() {
        return "flyway";
    }

    @Override
    public String table() {
        return "flyway_schema_history";
    }

    @Override
    public String select() {
        return "adopt_flyway_select.sql";
    }

    /**
     * Matches Flyway's rows with the catalog: a failed row, a type Strata cannot take over, a script
     * the catalog lacks or a changed checksum is a problem naming it.
     */
    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Row row : rows) {
            String type = row.getString("type");
            String script = row.getString("script");
            String where = "flyway_schema_history installed_rank " + row.getInteger("installed_rank") + " ("
                    + (row.getString("version") == null ? "" : "version " + row.getString("version") + ", ") + script + ")";
            if (!Boolean.TRUE.equals(row.getBoolean("success"))) {
                problems.add(where + " failed; fix the database and mark it with flyway repair, then run Strata again");
                continue;
            }
            if ("SCHEMA".equals(type)) {
                continue; // Flyway's note that it created the schema: no migration
            }
            if (!"SQL".equals(type)) {
                problems.add(where + " is of type " + type + ", which Strata cannot take over; adopt by hand with "
                        + "strata baseline, or turn adoption off with --adopt off");
                continue;
            }
            String stem = script.substring(script.lastIndexOf('/') + 1).replaceFirst("\\.sql$", "");
            Adoption.Candidate m = catalog.byName(stem).orElse(null);
            if (m == null) {
                problems.add(Adoption.notInCatalog(where));
                continue;
            }
            Integer recorded = row.getInteger("checksum");
            int actual = checksum(m.sql());
            if (recorded == null || recorded != actual) {
                problems.add(m.file() + " changed since Flyway applied it (" + where + "): Flyway's checksum "
                        + recorded + ", the file's " + actual + "; restore the file as it was applied");
                continue;
            }
            entries.add(new SchemaHistory.Entry(m.name(), m.number(), m.checksum(), row.getString("description"),
                    row.getInteger("execution_time"), null, List.of(), KIND, true, null, catalog.toolVersion()));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
