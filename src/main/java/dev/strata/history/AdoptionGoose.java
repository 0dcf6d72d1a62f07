package dev.strata.history;

import io.vertx.mutiny.sqlclient.Row;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads goose's {@code goose_db_version(id, version_id, is_applied, tstamp)}: goose appends a row per
 * up ({@code is_applied} true) and per down, so the latest row of a version decides whether it is
 * applied; version 0 is goose's own first row (pressly/goose, internal/dialect/dialectquery/postgres.go).
 * goose keeps neither a checksum nor a failed state.
 */
final class AdoptionGoose implements Adoption.ToolHistory {

    @Override
    public String tool() {
        return "goose";
    }

    @Override
    public String table() {
        return "goose_db_version";
    }

    @Override
    public String select() {
        return "adopt_goose_select.sql";
    }

    @Override
    public Adoption.Result match(List<Row> rows, Adoption.Catalog catalog) {
        Map<Long, Row> latest = new LinkedHashMap<>();
        for (Row row : rows) {
            latest.remove(row.getLong("version_id"));
            latest.put(row.getLong("version_id"), row);
        }
        List<String> problems = new ArrayList<>();
        List<SchemaHistory.Entry> entries = new ArrayList<>();
        for (Row row : latest.values()) {
            long version = row.getLong("version_id");
            if (version == 0 || !Boolean.TRUE.equals(row.getBoolean("is_applied"))) {
                continue; // goose's first row, or a version goose migrated down again: not applied
            }
            String where = "goose_db_version id " + row.getInteger("id") + " (version " + version + ")";
            catalog.byVersion(BigInteger.valueOf(version)).ifPresentOrElse(m -> entries.add(catalog.entry(tool(), m, null)),
                    () -> problems.add(Adoption.notInCatalog(where)));
        }
        return new Adoption.Result(table(), entries, problems);
    }
}
