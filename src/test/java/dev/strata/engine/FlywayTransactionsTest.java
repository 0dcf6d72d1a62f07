package dev.strata.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConnectionPool;
import dev.strata.sql.Finding;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Flyway folder runs (and is scanned) as Flyway would run it: a file holding a statement Flyway
 * cannot run in a transaction runs outside one without any {@code .sql.conf}, a mix is refused
 * unless the project sets {@code mixed}, and {@code executeInTransaction} in the file's
 * {@code .sql.conf} still wins. Compared with real Flyway CE on the same folder.
 */
@Tag("db")
class FlywayTransactionsTest {

    @TempDir
    Path dir;

    private static Path fixture() {
        try {
            return Path.of(FlywayTransactionsTest.class.getClassLoader().getResource("layouts/flyway-detect").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> nonTransactional(Catalog catalog) {
        return catalog.migrations().stream().filter(m -> !m.transactional()).map(CatalogMigration::name).toList();
    }

    /** Tables, columns, defaults, constraints and indexes (with validity) of the public schema, history tables left out. */
    private static List<String> schema(TestDatabase db) {
        return db.query("""
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
                       || ' ' || coalesce(column_default, '')
                  FROM information_schema.columns
                 WHERE table_schema = 'public' AND table_name NOT IN ('schema_migrations', 'flyway_schema_history')
                UNION ALL
                SELECT 'index ' || i.indexrelid::regclass || ' ' || pg_get_indexdef(i.indexrelid) || ' valid=' || i.indisvalid
                  FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
                 WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT IN ('schema_migrations', 'flyway_schema_history')
                UNION ALL
                SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
                  FROM pg_constraint
                 WHERE connamespace = 'public'::regnamespace
                   AND conrelid::regclass::text NOT IN ('schema_migrations', 'flyway_schema_history')
                UNION ALL
                SELECT 'rows ' || count(*) FROM fd_accounts
                ORDER BY 1""");
    }

    private static void flywayMigrate(TestDatabase db, Path location) {
        flywayMigrate(db, location, false);
    }

    private static void flywayMigrate(TestDatabase db, Path location, boolean mixed) {
        URI url = URI.create(db.url());
        String[] user = url.getUserInfo().split(":", 2);
        // Flyway's transactional advisory lock keeps its own connection in a transaction, for which
        // CREATE INDEX CONCURRENTLY waits forever; Flyway's documented way out is the session lock.
        FluentConfiguration config = Flyway.configure()
                .dataSource("jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath(),
                        user[0], user.length > 1 ? user[1] : null)
                .locations("filesystem:" + location).mixed(mixed);
        config.getPluginRegister().getPlugin(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
        config.load().migrate();
    }

    @Test
    void detectedNonTransactionalFilesRunAsFlywayRunsThemWithTheSameSchema() {
        Catalog catalog = CatalogLoader.fromLocations(List.of(fixture()), "auto", false);
        assertThat(catalog.layout()).isEqualTo("flyway");
        assertThat(nonTransactional(catalog)).containsExactly("V2__index_email_concurrently", "V3__vacuum_and_region_index");

        try (TestDatabase strata = TestDatabase.create("fwdetect"); TestDatabase flyway = TestDatabase.create("fwdetect")) {
            ConnectionPool database = Engines.database(strata.url());
            try {
                ApplyResult result = Engines.migrator(catalog, database)
                        .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
                assertThat(result.applied()).hasSize(4);
            } finally {
                database.close();
            }
            flywayMigrate(flyway, fixture());

            assertThat(flyway.query("SELECT script || ' ' || success FROM flyway_schema_history WHERE version IS NOT NULL"
                    + " ORDER BY installed_rank")).containsExactly("V1__accounts.sql true", "V2__index_email_concurrently.sql true",
                    "V3__vacuum_and_region_index.sql true", "V4__orders.sql true");
            List<String> strataSchema = schema(strata);
            assertThat(strataSchema).anySatisfy(s -> assertThat(s).startsWith("index fd_accounts_email CREATE UNIQUE INDEX")
                    .endsWith("valid=true"));
            assertThat(strataSchema).isEqualTo(schema(flyway));
        }
    }

    @Test
    void detectedNonTransactionalFileIsScannedAsOne() {
        Engines.write(dir, "V1__t.sql", "CREATE TABLE t (a int);\n");
        Engines.write(dir, "V2__i.sql", "CREATE INDEX CONCURRENTLY t_a ON t (a);\n");

        Catalog catalog = CatalogLoader.fromLocations(List.of(dir), "flyway", false);
        List<Finding> findings = Preflight.scan(catalog, Set.of());

        // without the detection this was a non-transactional error; now the non-transactional rules apply
        assertThat(findings).extracting(Finding::ruleId).containsExactly("missing-if-not-exists");
        assertThat(findings.get(0).file()).endsWith("V2__i.sql");
    }

    @Test
    void aMixIsRefusedNamingTheStatementAsFlywayDoes() {
        Engines.write(dir, "V1__mix.sql", "CREATE TABLE t (a int);\n\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");

        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> CatalogLoader.fromLocations(List.of(dir), "flyway", false));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().asString()
                .startsWith(dir.resolve("V1__mix.sql") + ":3:1: Flyway refuses this migration")
                .contains("CREATE INDEX CONCURRENTLY at line 3").contains("executeInTransaction=false in V1__mix.sql.conf")
                .contains("mixed = true");
    }

    @Test
    void flywayRefusesTheSameMixAndRunsItWithMixedAsStrataDoes() {
        Path sql = dir.resolve("sql");
        Engines.write(sql, "V1__mix.sql", "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        try (TestDatabase flyway = TestDatabase.create("fwmix"); TestDatabase strata = TestDatabase.create("fwmix")) {
            FlywayException refused = catchThrowableOfType(FlywayException.class, () -> flywayMigrate(flyway, sql, false));
            assertThat(refused).isNotNull();
            assertThat(String.valueOf(refused.getMessage()) + refused.getCause())
                    .contains("Detected both transactional and non-transactional statements");
            assertThat(catchThrowableOfType(CatalogException.class,
                    () -> CatalogLoader.fromLocations(List.of(sql), "flyway", false))).isNotNull();

            flywayMigrate(flyway, sql, true);
            Engines.write(dir, "flyway.toml", "[flyway]\nmixed = true\n");
            Catalog catalog = CatalogLoader.fromLocations(List.of(sql), "flyway", false);
            ConnectionPool database = Engines.database(strata.url());
            try {
                Engines.migrator(catalog, database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                        .await().indefinitely();
            } finally {
                database.close();
            }
            String index = "SELECT pg_get_indexdef('t_a'::regclass) || ' ' || indisvalid FROM pg_index WHERE indexrelid = 't_a'::regclass";
            assertThat(strata.value(index)).isEqualTo(flyway.value(index)).endsWith("true");
        }
    }

    @Test
    void aMixRunsOutsideATransactionWhenTheProjectSetsMixed() {
        Path sql = dir.resolve("sql");
        Engines.write(sql, "V1__mix.sql", "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        Engines.write(dir, "flyway.toml", "[flyway]\nlocations = [\"filesystem:sql\"]\nmixed = true\n");

        Catalog catalog = CatalogLoader.fromLocations(List.of(sql), "flyway", false);

        assertThat(nonTransactional(catalog)).containsExactly("V1__mix");
    }

    @Test
    void executeInTransactionInTheConfWinsOverTheDetection() {
        Engines.write(dir, "V1__mix.sql", "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n");
        Engines.write(dir, "V1__mix.sql.conf", "executeInTransaction=true\n");
        Engines.write(dir, "V2__vacuum.sql", "VACUUM;\n");
        Engines.write(dir, "V2__vacuum.sql.conf", "executeInTransaction=false\n");
        Engines.write(dir, "V3__index.sql", "CREATE INDEX t_b ON t (a);\n");
        Engines.write(dir, "V3__index.sql.conf", "executeInTransaction=false\n");

        Catalog catalog = CatalogLoader.fromLocations(List.of(dir), "flyway", false);

        assertThat(nonTransactional(catalog)).containsExactly("V2__vacuum", "V3__index");
        // PostgreSQL refuses CREATE INDEX CONCURRENTLY in V1's transaction: refused before connecting
        List<Finding> v1 = Preflight.scan(catalog, Set.of()).stream().filter(f -> f.file().endsWith("V1__mix.sql"))
                .filter(f -> f.ruleId().equals("non-transactional")).toList();
        assertThat(v1).hasSize(1);
        // a Flyway file has no migration class: the hint names the header line, not transactional()
        assertThat(v1.get(0).hint()).contains("-- Transactional: false").doesNotContain("transactional()");
    }
}
