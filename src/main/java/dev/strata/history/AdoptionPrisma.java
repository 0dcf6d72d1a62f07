package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Prisma's {@code _prisma_migrations(id, checksum, finished_at, migration_name, logs,
 * rolled_back_at, started_at, applied_steps_count)}: a migration is applied when a row of it finished
 * and was not rolled back; a row neither finished nor rolled back is a failed or still-running
 * migration. Checks Prisma's checksum, SHA-256 hex of {@code migration.sql}, accepting the file with
 * its line breaks as LF or CRLF and the unpadded hex of old Prisma versions, as Prisma does
 * (prisma/prisma-engines, schema-engine checksum.rs, script_matches_checksum).
 */
final class AdoptionPrisma implements Adoption.ToolHistory {

    /** Whether {@code recorded} is Prisma's checksum of {@code sql}. */
    static boolean matches(String sql, String recorded) {
        if (recorded == null) {
            return false;
        }
        for (String variant : List.of(sql, sql.replace("\r\n", "\n"), sql.replace("\r\n", "\n").replace("\n", "\r\n"))) {
            byte[] digest = Adoption.digest("SHA-256", variant.getBytes(StandardCharsets.UTF_8));
            if (recorded.equals(Adoption.hex(digest)) || recorded.equals(unpadded(digest))) {
                return true;
            }
        }
        return false;
    }

    /** The hex of old Prisma versions: each byte without its leading zero (prisma-engines issue 1887). */
    private static String unpadded(byte[] digest) {
        StringBuilder out = new StringBuilder();
        for (byte b : digest) {
            out.append(Integer.toHexString(b & 0xff));
        }
        return out.toString();
    }

    @Override
    public String tool() {
        return "prisma";
    }

    @Override
    public String table() {
        return "_prisma_migrations";
    }

    @Override
    public String select() {
        return "adopt_prisma_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        Map<String, List<Row>> byName = new LinkedHashMap<>();
        rows.forEach(row -> byName.computeIfAbsent(row.getString("migration_name"), n -> new ArrayList<>()).add(row));
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Map.Entry<String, List<Row>> migration : byName.entrySet()) {
            String name = migration.getKey();
            Row finished = null;
            for (Row row : migration.getValue()) {
                boolean rolledBack = row.getBoolean("rolled_back");
                String where = "_prisma_migrations id " + row.getString("id") + " (" + name + ", started "
                        + row.getString("started_at") + ")";
                if (!row.getBoolean("finished") && !rolledBack) {
                    String logs = row.getString("logs");
                    problems.add(where + " did not finish" + (logs == null || logs.isBlank() ? ""
                            : " (" + logs.strip().lines().findFirst().orElse("") + ")") + "; fix the database, mark it "
                            + "with prisma migrate resolve --applied or --rolled-back, then run Strata again");
                } else if (!rolledBack) {
                    finished = row;
                }
            }
            if (finished == null) {
                if (migration.getValue().stream().allMatch(r -> r.getBoolean("rolled_back"))) {
                    problems.add("_prisma_migrations: " + name + " was rolled back (prisma migrate resolve "
                            + "--rolled-back) and not applied since; apply it with prisma migrate deploy, or adopt "
                            + "by hand (--adopt off, then strata baseline)");
                }
                continue;
            }
            String where = "_prisma_migrations id " + finished.getString("id") + " (" + name + ")";
            Adoption.Candidate m = catalog.byName(name).orElse(null);
            if (m == null) {
                problems.add(Adoption.notInCatalog(where));
                continue;
            }
            String recorded = finished.getString("checksum");
            if (!matches(m.sql(), recorded)) {
                problems.add(m.file() + " changed since Prisma applied it (" + where + "): Prisma's SHA-256 "
                        + recorded + ", the file's " + Adoption.hex(Adoption.digest("SHA-256", m.bytes()))
                        + "; restore the file as it was applied");
                continue;
            }
            entries.add(catalog.entry(tool(), m, null));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
