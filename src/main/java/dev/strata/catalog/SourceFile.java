package dev.strata.catalog;

/**
 * A migration source file as read from disk or the classpath, before validation.
 *
 * @param fileName the bare file name, e.g. {@code 007_crm_system_schema.sql}
 * @param display  how to name it in messages, e.g. {@code db/migrations/007_crm_system_schema.sql}
 * @param bytes    its content, or null when it could not be read
 * @param readError why it could not be read, or null
 */
public record SourceFile(String fileName, String display, byte[] bytes, String readError) {
}
