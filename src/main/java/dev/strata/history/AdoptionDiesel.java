package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Diesel's {@code __diesel_schema_migrations(version, run_on)}: one row per applied migration,
 * its version the folder name's prefix without dashes ({@code 2017-12-30-120000_x} is
 * {@code 20171230120000}; diesel-rs/diesel, diesel_migrations/src/migration/setup_migration_table.sql
 * and file_based_migrations.rs). Diesel keeps neither a checksum nor a failed state.
 */
final class AdoptionDiesel implements Adoption.ToolHistory {

    @Override
    public String tool() {
        return "diesel";
    }

    @Override
    public String table() {
        return "__diesel_schema_migrations";
    }

    @Override
    public String select() {
        return "adopt_diesel_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Row row : rows) {
            String version = row.getString("version");
            String where = "__diesel_schema_migrations version " + version;
            String digits = version.replace("-", "");
            (digits.matches("\\d+") ? catalog.byVersion(new BigInteger(digits)) : java.util.Optional.<Adoption.Candidate>empty())
                    .ifPresentOrElse(m -> entries.add(catalog.entry(tool(), m, null)),
                            () -> problems.add(Adoption.notInCatalog(where)));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
