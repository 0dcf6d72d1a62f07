package dev.strata.health;

import dev.strata.config.ConnectionSettings;
import dev.strata.config.Database;
import dev.strata.migration.Catalog;
import dev.strata.migration.CatalogLoader;
import dev.strata.migration.Migration;
import dev.strata.migration.Migrator;
import dev.strata.migration.StatusReport;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What the health checks and the HTTP endpoints look at: one database and one catalog. A command
 * configures it from its options; otherwise ({@code serve} in a container) it resolves the
 * database from the environment like every command (DIRECT_DATABASE_URL, DATABASE_URL, …) and the
 * catalog from {@code STRATA_LOCATION} or the bundled migrations.
 */
@ApplicationScoped
public class HealthTarget {

    @Inject
    Vertx vertx;

    @Inject
    @Any
    Instance<Migration> migrations;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> datasourceUrl;

    @ConfigProperty(name = "strata.location")
    Optional<String> location;

    private ConnectionSettings settings;
    private Catalog catalog;
    private Database database;
    private Duration connectTimeout = Duration.ofSeconds(3);
    private Uni<StatusReport> status;

    /**
     * Points the checks at a database and catalog.
     *
     * @param connectTimeout how long a check may wait for an unreachable server
     */
    public void configure(ConnectionSettings settings, Catalog catalog, Duration connectTimeout) {
        Database previous;
        synchronized (this) {
            previous = database;
            database = null;
            status = null;
            this.settings = settings;
            this.catalog = catalog;
            this.connectTimeout = connectTimeout;
        }
        close(previous);
    }

    /** The connection settings, resolved from the environment unless configured. */
    public synchronized ConnectionSettings settings() {
        if (settings == null) {
            settings = ConnectionSettings.resolve(null, System.getenv(), datasourceUrl);
        }
        return settings;
    }

    /** The catalog, loaded on first use unless configured. */
    public synchronized Catalog catalog() {
        if (catalog == null) {
            String dir = Optional.ofNullable(System.getenv("STRATA_LOCATION")).or(() -> location).orElse(null);
            catalog = dir == null || dir.isBlank()
                    ? CatalogLoader.fromClasspath(migrations, Thread.currentThread().getContextClassLoader())
                    : CatalogLoader.fromDirectory(Path.of(dir));
        }
        return catalog;
    }

    /** The shared pool (up to 4 connections), created on first use. */
    public synchronized Database database() {
        if (database == null) {
            database = new Database(vertx, settings(), 4, connectTimeout);
        }
        return database;
    }

    /** A migrator over the catalog and database, e.g. for {@code POST /migrations/apply}. */
    public Migrator migrator(String toolVersion) {
        return new Migrator(catalog(), database(), toolVersion);
    }

    /**
     * The catalog compared with the schema history, shared by the checks of one health request:
     * the result is reused for 1 s.
     */
    public synchronized Uni<StatusReport> status() {
        if (status == null) {
            status = Uni.createFrom().deferred(() -> new Migrator(catalog(), database(), "health").status())
                    .memoize().atLeast(Duration.ofSeconds(1));
        }
        return status;
    }

    /** Forgets the shared status report, e.g. after migrations were applied over HTTP. */
    public synchronized void invalidate() {
        status = null;
    }

    @PreDestroy
    void closeDatabase() {
        Database previous;
        synchronized (this) {
            previous = database;
            database = null;
            status = null;
        }
        close(previous);
    }

    /**
     * Closes a pool outside this object's lock: closing waits for the Vert.x event loop, and a
     * health check running on that event loop may be waiting for the lock (a readiness probe that
     * arrives while {@code serve} starts). Holding the lock here deadlocked both.
     */
    private static void close(Database previous) {
        if (previous != null) {
            previous.close();
        }
    }
}
