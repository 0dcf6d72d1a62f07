package dev.strata.catalog;

import java.util.List;
import java.util.Map;

/**
 * A migration as the catalog knows it: the SQL file read and checked, paired with its metadata
 * and verify step.
 *
 * @param number        migration number (the file name's numeric prefix)
 * @param name          file name without {@code .sql}, e.g. {@code 007_crm_system_schema}; the
 *                      schema history key
 * @param file          the file as shown to users, e.g. {@code db/migrations/007_crm_system_schema.sql}
 * @param sql           the file's text (UTF-8 decoded)
 * @param executableSql the text to run: same length and line structure as {@code sql}, with parts
 *                      that must not run (a dbmate/goose down section) blanked
 * @param checksum      SHA-256 of the file bytes, lower-case hex (64 chars)
 * @param sizeBytes     file size in bytes
 * @param description   one line
 * @param dependencies  numbers of migrations that must be applied first, ascending
 * @param transactional false for migrations that must run outside a transaction block
 * @param allowances    safety rules it may break, rule id to reason
 * @param verifier      its verify step
 * @param origin        the class name, or {@code "SQL file header"} for SQL-only migrations
 */
public record CatalogMigration(long number, String name, String file, String sql, String executableSql,
                               String checksum, long sizeBytes, String description, List<Long> dependencies,
                               boolean transactional, Map<String, String> allowances, Verifier verifier,
                               String origin) {

    /** The number as shown to users: at least three digits, e.g. {@code 007}. */
    public String displayNumber() {
        return format(number);
    }

    /**
     * Formats a migration number with at least three digits ({@code 7} → {@code 007}). Not
     * {@code String.format}: its first use loads the locale data (CLDR), about 15 ms of every run.
     */
    public static String format(long number) {
        String digits = Long.toString(number);
        if (number < 0 || digits.length() >= 3) {
            return digits;
        }
        return "000".substring(digits.length()) + digits;
    }
}
