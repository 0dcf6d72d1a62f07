package dev.strata.catalog;

import java.util.Locale;

/**
 * Strata's own flat layout: {@code NNN_description.sql} files directly in the location (the
 * extension in any case, so {@code 002_x.SQL} is read as migration 002), an optional
 * {@code NNN_description.verify.sql} beside each, and golang-migrate's {@code NNN_x.up.sql} /
 * {@code NNN_x.down.sql} pairs whose down half never runs. Subdirectories are not read.
 */
public final class StrataLayout implements CatalogLayout {

    /** The one instance. */
    public static final StrataLayout INSTANCE = new StrataLayout();

    static final String SQL = ".sql";
    static final String UP_SUFFIX = ".up.sql";
    static final String DOWN_SUFFIX = ".down.sql";
    static final String VERIFY_SUFFIX = ".verify.sql";

    private StrataLayout() {
    }

    @Override
    public String name() {
        return "strata";
    }

    @Override
    public Role classify(String relative) {
        if (relative.indexOf('/') >= 0) {
            return Role.UNKNOWN;
        }
        String lower = relative.toLowerCase(Locale.ROOT);
        if (lower.endsWith(DOWN_SUFFIX)) {
            return Role.NEVER_RUN;
        }
        return lower.endsWith(VERIFY_SUFFIX) ? Role.VERIFY : Role.MIGRATION;
    }

    @Override
    public String unreadHint(String location) {
        return "Strata reads NNN_description.sql files directly in the folder, and nested layouts (e.g. Prisma's "
                + "<timestamp>_<name>/migration.sql, folders of versioned files) are not supported yet; move them into "
                + location + " as NNN_description.sql or out of the location";
    }

    /**
     * The migration name of a file: its name without {@code .up.sql} or {@code .sql} (any case),
     * e.g. {@code 002_users.SQL} → {@code 002_users}; the schema history key.
     */
    static String stem(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        int cut = lower.endsWith(UP_SUFFIX) ? UP_SUFFIX.length() : lower.endsWith(SQL) ? SQL.length() : 0;
        return fileName.substring(0, fileName.length() - cut);
    }

    /** The migration name a verify file belongs to: its name without {@code .verify.sql} (any case). */
    static String verifyStem(String fileName) {
        return fileName.substring(0, fileName.length() - VERIFY_SUFFIX.length());
    }
}
