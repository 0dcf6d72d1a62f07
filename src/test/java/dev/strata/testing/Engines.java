package dev.strata.testing;

import dev.strata.api.Migration;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.Migrator;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds engine objects for tier-2 tests (no Quarkus): databases, catalogs, migrators. */
public final class Engines {

    private static final Vertx VERTX = Vertx.vertx();

    private Engines() {
    }

    /** A database handle for the URL, pool of 2, 5 s connect retry. */
    public static ConnectionPool database(String url) {
        return new ConnectionPool(VERTX, ConnectionSettings.fromUrl(url, "test"), 2, Duration.ofSeconds(5));
    }

    /** A migrator over a catalog and a URL. */
    public static Migrator migrator(Catalog catalog, ConnectionPool database) {
        return new Migrator(catalog, database, "test");
    }

    /**
     * The bundled catalog, with the migration classes instantiated by the naming convention
     * {@code crm.migrations.MigrationNNN} (the application discovers them as CDI beans;
     * the CLI tests cover that path).
     */
    public static Catalog bundledCatalog() {
        return CatalogLoader.fromClasspath(bundledMigrations(), Engines.class.getClassLoader());
    }

    /** One instance of every bundled migration class, in file order. */
    public static List<Migration> bundledMigrations() {
        List<Migration> migrations = new ArrayList<>();
        try (InputStream in = Engines.class.getClassLoader().getResourceAsStream(CatalogLoader.CLASSPATH_INDEX)) {
            for (String file : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                if (file.isBlank()) {
                    continue;
                }
                String number = file.substring(0, file.indexOf('_'));
                migrations.add((Migration) Class.forName("crm.migrations.Migration" + number)
                        .getDeclaredConstructor().newInstance());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return migrations;
    }

    /** Writes a file into a directory, creating it; returns the path. */
    public static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
