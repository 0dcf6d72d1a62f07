package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads dbmate's {@code schema_migrations(version varchar)}: one row per applied migration, its
 * version as the file name writes it. dbmate keeps neither a checksum nor a failed state (a
 * migration and its row commit together).
 */
final class AdoptionDbmate implements Adoption.ToolHistory {

    @Override
    public String tool() {
        return "dbmate";
    }

    @Override
    public String table() {
        return "schema_migrations";
    }

    @Override
    public String select() {
        return "adopt_dbmate_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Row row : rows) {
            String version = row.getString("version");
            catalog.byVersionText(version).ifPresentOrElse(m -> entries.add(catalog.entry(tool(), m, null)),
                    () -> problems.add(Adoption.notInCatalog("schema_migrations (dbmate) version " + version)));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
