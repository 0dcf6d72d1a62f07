package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;

/** Receives progress while migrations are applied; the CLI prints it. */
public interface ProgressListener {

    /** A migration is about to run. */
    default void starting(CatalogMigration migration) {
    }

    /** A migration committed. */
    default void applied(ApplyResult.Step step) {
    }

    /** A remark, e.g. the lock is held by someone else or a wrapper was ignored. */
    default void note(String message) {
    }

    /** A listener that ignores everything. */
    ProgressListener NONE = new ProgressListener() {
    };
}
