package dev.strata.history;

import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads sqlx's {@code _sqlx_migrations(version, description, installed_on, success, checksum,
 * execution_time)} and checks sqlx's checksum: SHA-384 of the migration's SQL text as the file holds
 * it (launchbadge/sqlx, sqlx-core/src/migrate/migration.rs). A row with {@code success = false} is a
 * migration that stopped part-way (sqlx calls the database dirty).
 */
final class AdoptionSqlx implements Adoption.ToolHistory {

    /** sqlx's checksum of a migration file: SHA-384 of its bytes. */
    static byte[] checksum(Adoption.Candidate m) {
        return Adoption.digest("SHA-384", m.bytes());
    }

    @Override
    public String tool() {
        return "sqlx";
    }

    @Override
    public String table() {
        return "_sqlx_migrations";
    }

    @Override
    public String select() {
        return "adopt_sqlx_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Row row : rows) {
            long version = row.getLong("version");
            String where = "_sqlx_migrations version " + version + " (" + row.getString("description") + ")";
            if (!Boolean.TRUE.equals(row.getBoolean("success"))) {
                problems.add(where + " is not successful (success = false): it stopped part-way; fix the database "
                        + "by hand, then let sqlx finish it (or delete that row), and run Strata again");
                continue;
            }
            Adoption.Candidate m = catalog.byVersion(BigInteger.valueOf(version)).orElse(null);
            if (m == null) {
                problems.add(Adoption.notInCatalog(where));
                continue;
            }
            Buffer recorded = row.getBuffer("checksum");
            byte[] actual = checksum(m);
            if (recorded == null || !Arrays.equals(recorded.getBytes(), actual)) {
                problems.add(m.file() + " changed since sqlx applied it (" + where + "): sqlx's SHA-384 "
                        + (recorded == null ? "none" : Adoption.hex(recorded.getBytes())) + ", the file's "
                        + Adoption.hex(actual) + "; restore the file as it was applied");
                continue;
            }
            Long nanos = row.getLong("execution_time");
            entries.add(catalog.entry(tool(), m, nanos == null || nanos < 0 ? null : (int) Math.min(Integer.MAX_VALUE,
                    nanos / 1_000_000)));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
