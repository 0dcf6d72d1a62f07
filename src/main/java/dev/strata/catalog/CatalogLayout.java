package dev.strata.catalog;

/**
 * A folder layout: which files below a migration location are migrations, verify steps, or parts
 * that never run. {@link CatalogDirectory} walks the folder and asks the layout about every SQL
 * file it finds, so a file no layout claims is reported, never skipped; other tools' layouts
 * (Flyway, Prisma, dbmate, …) plug in here.
 */
public interface CatalogLayout {

    /** What a file is to a layout. */
    enum Role {
        /** A migration to read and run. */
        MIGRATION,
        /** The verify step of a migration. */
        VERIFY,
        /** Read by the tool that wrote it but never by a forward-only one, e.g. golang-migrate's {@code .down.sql}. */
        NEVER_RUN,
        /** Not part of this layout (e.g. a file in a subdirectory of a flat layout): reported as an error. */
        UNKNOWN
    }

    /** A short name for messages, e.g. {@code strata}. */
    String name();

    /**
     * The role of an SQL file.
     *
     * @param relative the file's path below the location, '/'-separated, e.g. {@code 001_init.sql}
     *                 or {@code 20210101000000_init/migration.sql}; its name ends in {@code .sql} in any case
     */
    Role classify(String relative);

    /** One clause for the error about SQL files the layout does not read, saying what it reads instead. */
    String unreadHint(String location);
}
