package dev.strata.engine;

/** Where one migration stands relative to the schema history. */
public enum MigrationState {
    /** Recorded in the history with the same checksum as the file. */
    APPLIED,
    /** Recorded by {@code baseline} without running. */
    BASELINE,
    /** In the catalog, not yet recorded. */
    PENDING,
    /** Recorded, but the file's checksum differs from the recorded one. */
    CHANGED,
    /** A non-transactional migration that failed part-way; needs {@code repair}. */
    FAILED,
    /** Recorded in the history, but not in the catalog. */
    UNKNOWN;

    /** Lower-case label used in output, e.g. {@code pending}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
