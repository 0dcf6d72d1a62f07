package dev.strata.cli;

import dev.strata.config.ConnectionSettings;
import dev.strata.config.Database;
import dev.strata.migration.Catalog;
import dev.strata.migration.CatalogLoader;
import dev.strata.migration.Migration;
import dev.strata.migration.Migrator;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Builds the engine objects a command needs from its options: catalog, database, migrator. */
@ApplicationScoped
public class Engine {

    @Inject
    @Any
    Instance<Migration> migrations;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> datasourceUrl;

    @Inject
    EmbeddedFallback embedded;

    /** {@code --adopt} of the catalog last built: one command runs per process, and it builds its catalog first. */
    private boolean adopt = true;

    /**
     * The catalog: the directories from {@code --location} in {@code --layout}, else the bundled migrations.
     *
     * @throws dev.strata.migration.CatalogException when it is inconsistent, or holds no migration
     *                                               and {@code --allow-empty} was not given
     */
    public Catalog catalog(CatalogOptions options) {
        adopt = options.adopt();
        if (!options.locations().isEmpty()) {
            return CatalogLoader.fromLocations(options.locations(), options.layout(), options.allowEmpty);
        }
        return CatalogLoader.fromClasspath(migrations, Thread.currentThread().getContextClassLoader(), options.allowEmpty);
    }

    /**
     * Connection settings by the documented precedence; when nothing is configured and nothing
     * answers on localhost:5432, the embedded PostgreSQL's (started if needed, see {@link EmbeddedFallback}).
     */
    public ConnectionSettings settings(ConnectionOptions options) {
        return embedded.apply(ConnectionSettings.resolve(options.url, System.getenv(), datasourceUrl), System.getenv());
    }

    /** A database handle; close it when done. */
    public Database database(ConnectionOptions options) {
        return new Database(vertx, settings(options), 2, Duration.ofMillis(options.connectTimeoutMs));
    }

    /**
     * Opens the database, runs {@code work} against a migrator over the catalog, waits for its
     * result and closes the database.
     */
    public <T> T withMigrator(ConnectionOptions options, Catalog catalog,
                              java.util.function.Function<Migrator, io.smallrye.mutiny.Uni<T>> work) {
        try (Database database = database(options)) {
            return work.apply(migrator(catalog, database)).await().indefinitely();
        }
    }

    /** A migrator over the catalog and database. */
    public Migrator migrator(Catalog catalog, Database database) {
        return new Migrator(catalog, database, Version.get()).adoption(adopt);
    }

    /** A migrator whose safety scan treats the given warning rules as errors. */
    public Migrator migrator(Catalog catalog, Database database, java.util.Set<String> promotedRules) {
        return new Migrator(catalog, database, Version.get(), promotedRules).adoption(adopt);
    }
}
