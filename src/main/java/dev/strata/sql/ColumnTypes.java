package dev.strata.sql;

import java.util.HashMap;
import java.util.Map;

/**
 * Column types the scanner has seen declared (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE), by
 * table and column name, so a later type change can be compared with the old type. Shared by the
 * files of one scan in plan order; not thread-safe.
 */
public final class ColumnTypes {

    private final Map<String, SqlType> types = new HashMap<>();

    void record(String table, String column, SqlType type) {
        if (table != null && column != null && type != null) {
            types.put(table + "." + column, type);
        }
    }

    /** The last declared type of {@code table.column}, or null when no scanned file declared it. */
    SqlType typeOf(String table, String column) {
        return table == null || column == null ? null : types.get(table + "." + column);
    }
}
