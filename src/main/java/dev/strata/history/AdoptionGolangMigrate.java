package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads golang-migrate's {@code schema_migrations(version bigint, dirty boolean)}: a single row, the
 * version it migrated up to, so every catalog migration up to that version is applied
 * (golang-migrate, database/postgres/postgres.go, SetVersion). A dirty row means a migration stopped
 * part-way; golang-migrate keeps no checksum.
 */
final class AdoptionGolangMigrate implements Adoption.ToolHistory {

    @Override
    public String tool() {
        return "golang-migrate";
    }

    @Override
    public String table() {
        return "schema_migrations";
    }

    @Override
    public String select() {
        return "adopt_golang_migrate_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        if (rows.isEmpty()) {
            return new Adoption.Result(table(), List.of(), List.of());
        }
        if (rows.size() > 1) {
            return new Adoption.Result(table(), List.of(), List.of("schema_migrations has " + rows.size()
                    + " rows, golang-migrate writes one; repair it with migrate force VERSION, then run Strata again"));
        }
        Row row = rows.get(0);
        long version = row.getLong("version");
        String where = "schema_migrations (golang-migrate) version " + version;
        if (Boolean.TRUE.equals(row.getBoolean("dirty"))) {
            return new Adoption.Result(table(), List.of(), List.of(where + " is dirty: that migration stopped part-way;"
                    + " fix the database by hand, mark it with migrate force " + version + " (or the version before),"
                    + " then run Strata again"));
        }
        BigInteger upTo = BigInteger.valueOf(version);
        if (version >= 0 && catalog.byVersion(upTo).isEmpty()) {
            return new Adoption.Result(table(), List.of(), List.of(Adoption.notInCatalog(where)));
        }
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Adoption.Candidate m : catalog.migrations()) {
            if (m.version().map(v -> v.compareTo(upTo) <= 0).orElse(false)) {
                entries.add(catalog.entry(tool(), m, null));
            }
        }
        return new Adoption.Result(table(), entries, List.of());
    }
}
