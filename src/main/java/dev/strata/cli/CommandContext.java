package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.Migrator;
import dev.strata.engine.Wiring;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * A command's options turned into engine objects, through the {@link Wiring} that {@code serve}
 * uses too: the only class that knows both picocli's option mixins and the engine.
 */
@ApplicationScoped
public class CommandContext {

    @Inject
    Wiring wiring;

    /**
     * The catalog: the directories from {@code --location} in {@code --layout}, else the bundled migrations.
     *
     * @throws dev.strata.catalog.CatalogException when it is inconsistent, or holds no migration
     *                                             and {@code --allow-empty} was not given
     */
    public Catalog catalog(CatalogOptions options) {
        adopt = options.adopt();
        historyTable = options.historyTable();
        return wiring.catalog(options.locations(), options.layout(), options.allowEmpty);
    }

    /** {@code --adopt} of the catalog last built: one command runs per process, and it builds its catalog first. */
    private boolean adopt = true;

    /** {@code --history-table} of the catalog last built; null for the automatic choice. */
    private String historyTable;

    /**
     * Connection settings by the documented precedence; when nothing is configured, a running
     * {@code strata db start} server or the embedded PostgreSQL (see the README, Configuration).
     */
    public ConnectionSettings settings(ConnectionOptions options) {
        return wiring.settings(options.url, true);
    }

    /** A pool of two connections for one command; close it when done. */
    public ConnectionPool database(ConnectionOptions options) {
        return wiring.pool(settings(options), 2, Duration.ofMillis(options.connectTimeoutMs),
                Duration.ofMillis(options.unresponsiveTimeoutMs));
    }

    /**
     * Opens the database, runs {@code work} against a migrator over the catalog, waits for its
     * result and closes the database.
     */
    public <T> T withMigrator(ConnectionOptions options, Catalog catalog, Function<Migrator, Uni<T>> work) {
        try (ConnectionPool database = database(options)) {
            return work.apply(migrator(catalog, database)).await().indefinitely();
        }
    }

    /** A migrator over the catalog and database. */
    public Migrator migrator(Catalog catalog, ConnectionPool database) {
        return wiring.migrator(catalog, database, Set.of(), adopt).historyTable(historyTable);
    }

    /** A migrator whose safety scan treats the given warning rules as errors. */
    public Migrator migrator(Catalog catalog, ConnectionPool database, Set<String> promotedRules) {
        return wiring.migrator(catalog, database, promotedRules, adopt).historyTable(historyTable);
    }
}
