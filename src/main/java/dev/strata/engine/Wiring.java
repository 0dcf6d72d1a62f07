package dev.strata.engine;

import dev.strata.api.Migration;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.embedded.EmbeddedFallback;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that builds Strata's objects from plain configuration values: the catalog, the
 * connection settings, connection pools and the {@link Migrator}. The command line (through its
 * option mixins) and {@code serve} both use it, so both read the same catalog and the same database.
 */
@ApplicationScoped
public class Wiring {

    @Inject
    @Any
    Instance<Migration> migrations;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> datasourceUrl;

    @Inject
    EmbeddedFallback embedded;

    /**
     * The catalog: the directory {@code location} when given, else the bundled migrations (the
     * application's {@link Migration} beans and their {@code db/migrations/*.sql} files).
     *
     * @param location   a directory of SQL-only migrations, or null/blank for the bundled ones
     * @param allowEmpty whether a catalog without any migration is accepted
     * @throws dev.strata.catalog.CatalogException when it is inconsistent, or holds no migration
     *                                             and {@code allowEmpty} is false
     */
    public Catalog catalog(String location, boolean allowEmpty) {
        if (location != null && !location.isBlank()) {
            return CatalogLoader.fromLocations(java.util.List.of(Path.of(location)), "auto", allowEmpty);
        }
        return CatalogLoader.fromClasspath(migrations, Thread.currentThread().getContextClassLoader(), allowEmpty);
    }

    /**
     * The catalog from one or more directories read in a folder layout, else the bundled migrations.
     *
     * @param locations directories of SQL-only migrations (merged; a version in two is an error), or
     *                  empty for the bundled ones
     * @param layout    {@code auto} or a layout name (see the README, "Other tools' folders")
     * @throws dev.strata.catalog.CatalogException when it is inconsistent or empty (unless allowed)
     */
    public Catalog catalog(java.util.List<Path> locations, String layout, boolean allowEmpty) {
        if (!locations.isEmpty()) {
            return CatalogLoader.fromLocations(locations, layout, allowEmpty);
        }
        return CatalogLoader.fromClasspath(migrations, Thread.currentThread().getContextClassLoader(), allowEmpty);
    }

    /**
     * The catalog {@code serve} reads when no command line configured it, from the values behind
     * {@code --location}, {@code --layout} and {@code --adopt} (configuration {@code strata.location},
     * {@code strata.layout}, {@code strata.adopt}, i.e. the variables STRATA_LOCATION, STRATA_LAYOUT,
     * STRATA_ADOPT); the bundled migrations without a location.
     *
     * @param location a directory, or null/blank for the bundled migrations
     * @param layout   a layout name, or null/blank for auto
     * @param adopt    auto, off, or null/blank for auto
     * @throws dev.strata.catalog.CatalogException when the catalog is inconsistent or empty
     * @throws dev.strata.db.ConfigException when {@code adopt} is neither auto nor off
     */
    public CatalogChoice catalogChoice(String location, String layout, String adopt) {
        java.util.List<Path> locations = location == null || location.isBlank() ? java.util.List.of()
                : java.util.List.of(Path.of(location));
        boolean adopting = adopt(adopt);
        return new CatalogChoice(catalog(locations, layout == null || layout.isBlank() ? "auto" : layout, false), adopting);
    }

    /**
     * A catalog and whether to adopt another tool's history table on first contact.
     *
     * @param adopt {@code --adopt auto} (true) or {@code off} (false)
     */
    public record CatalogChoice(Catalog catalog, boolean adopt) {
    }

    /**
     * The {@code --adopt} / {@code STRATA_ADOPT} value: true for auto (or unset), false for off.
     *
     * @throws dev.strata.db.ConfigException for any other value
     */
    public static boolean adopt(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("auto")) {
            return true;
        }
        if (value.strip().equalsIgnoreCase("off")) {
            return false;
        }
        throw new dev.strata.db.ConfigException("--adopt (STRATA_ADOPT) must be auto or off, not '" + value + "'");
    }

    /**
     * Connection settings by the documented precedence ({@code url} first, then DIRECT_DATABASE_URL,
     * DATABASE_URL, the Quarkus datasource, PG* variables, localhost).
     *
     * @param url                 the {@code --url} value, or null
     * @param embeddedWhenMissing when nothing is configured: use a running {@code strata db start}
     *                            server, or start the embedded PostgreSQL when nothing answers on
     *                            localhost:5432 (see {@link EmbeddedFallback})
     * @throws dev.strata.db.ConfigException when the configuration is malformed
     */
    public ConnectionSettings settings(String url, boolean embeddedWhenMissing) {
        ConnectionSettings resolved = ConnectionSettings.resolve(url, System.getenv(), datasourceUrl);
        return embeddedWhenMissing ? embedded.apply(resolved, System.getenv()) : resolved;
    }

    /**
     * A connection pool; close it when done.
     *
     * @param size                at most this many connections
     * @param connectTimeout      how long to retry an unreachable or starting server
     * @param unresponsiveTimeout how long a migration run waits for a silent server (zero: forever)
     */
    public ConnectionPool pool(ConnectionSettings settings, int size, Duration connectTimeout,
                               Duration unresponsiveTimeout) {
        return new ConnectionPool(vertx, settings, size, connectTimeout, unresponsiveTimeout);
    }

    /**
     * A migrator over the catalog and database.
     *
     * @param promotedRules safety rules whose warnings count as errors (validated by the caller)
     */
    public Migrator migrator(Catalog catalog, ConnectionPool database, Set<String> promotedRules) {
        return migrator(catalog, database, promotedRules, true);
    }

    /**
     * A migrator that, with {@code adopt}, adopts another tool's history table in place on first
     * contact (see {@link Migrator#adoption(boolean)}).
     */
    public Migrator migrator(Catalog catalog, ConnectionPool database, Set<String> promotedRules, boolean adopt) {
        return new Migrator(catalog, database, Version.get(), promotedRules).adoption(adopt);
    }
}
