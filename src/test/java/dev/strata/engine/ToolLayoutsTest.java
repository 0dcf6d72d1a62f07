package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogException;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.MigrationVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.strata.db.ConnectionPool;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Other tools' folders read as they are (fixtures under {@code src/test/resources/layouts/}, each
 * in the tool's own idiom): the detected layout, the plan order, the non-transactional markers,
 * down parts never run, and the folder applied to a fresh database, a second run applying nothing.
 */
@Tag("db")
class ToolLayoutsTest {

    @TempDir
    Path dir;

    private static Path fixture(String name) {
        try {
            return Path.of(ToolLayoutsTest.class.getClassLoader().getResource("layouts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Catalog load(String... fixtures) {
        return CatalogLoader.fromLocations(java.util.Arrays.stream(fixtures).map(ToolLayoutsTest::fixture).toList(),
                "auto", false);
    }

    private static List<String> names(Catalog catalog) {
        return catalog.migrations().stream().map(CatalogMigration::name).toList();
    }

    private static List<String> nonTransactional(Catalog catalog) {
        return catalog.migrations().stream().filter(m -> !m.transactional()).map(CatalogMigration::name).toList();
    }

    /** Applies the catalog to a fresh database, checks a re-run applies nothing, then runs the schema check. */
    private static void applyFresh(Catalog catalog, Consumer<TestDatabase> schema) {
        try (TestDatabase db = TestDatabase.create("layout")) {
            ConnectionPool database = Engines.database(db.url());
            try {
                ApplyResult first = Engines.migrator(catalog, database)
                        .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
                assertThat(first.applied()).hasSize(catalog.size());
                ApplyResult second = Engines.migrator(catalog, database)
                        .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
                assertThat(second.applied()).isEmpty();
                assertThat(db.query("SELECT migration_name FROM schema_migrations ORDER BY id")).isEqualTo(names(catalog));
                schema.accept(db);
            } finally {
                database.close();
            }
        }
    }

    private static String columns(TestDatabase db, String table) {
        return String.join(",", db.query("SELECT column_name FROM information_schema.columns WHERE table_name = '"
                + table + "' ORDER BY ordinal_position"));
    }

    private static boolean validIndex(TestDatabase db, String index) {
        return "yes".equals(db.value("SELECT CASE WHEN indisvalid THEN 'yes' END FROM pg_index WHERE indexrelid = to_regclass('" + index + "')"));
    }

    @Test
    void flywayDottedVersionsCompareAsNumbersAcrossTwoLocations() {
        Catalog catalog = load("flyway/sql", "flyway/extra");

        assertThat(catalog.layout()).isEqualTo("flyway");
        assertThat(names(catalog)).containsExactly("V1__init", "V1.2__add_email", "V1.10__index_email", "V2__orders",
                "V3_1__order_notes");
        assertThat(nonTransactional(catalog)).containsExactly("V1.10__index_email");
        assertThat(catalog.migrations().get(1).description()).isEqualTo("add email");
        applyFresh(catalog, db -> {
            assertThat(columns(db, "fw_users")).isEqualTo("id,name,email"); // the undo file U1.2 never ran
            assertThat(validIndex(db, "fw_users_email")).isTrue();
            assertThat(columns(db, "fw_orders")).isEqualTo("id,user_id,note");
        });
    }

    @Test
    void flywayRepeatableAndDuplicateVersionsAreRefusedNamingTheFiles() {
        Engines.write(dir.resolve("a"), "V1__init.sql", "CREATE TABLE a (id int);\n");
        Engines.write(dir.resolve("a"), "R__views.sql", "CREATE OR REPLACE VIEW v AS SELECT 1;\n");
        Engines.write(dir.resolve("b"), "V1.0__again.sql", "CREATE TABLE b (id int);\n");

        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> CatalogLoader.fromLocations(List.of(dir.resolve("a"), dir.resolve("b")), "flyway", false));

        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).startsWith(dir.resolve("a/R__views.sql") + ": Flyway repeatable"));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains(dir.resolve("b/V1.0__again.sql").toString())
                .contains("also used by " + dir.resolve("a/V1__init.sql")));
    }

    @Test
    void golangMigrateOrdersNumericallyAndNeverRunsDownFiles() {
        Catalog catalog = load("golang-migrate");

        assertThat(catalog.layout()).isEqualTo("golang-migrate");
        assertThat(names(catalog)).containsExactly("1_init", "2_add_email", "10_orders");
        applyFresh(catalog, db -> {
            assertThat(columns(db, "gm_users")).isEqualTo("id,email");
            assertThat(columns(db, "gm_orders")).isEqualTo("id,user_id");
        });
    }

    @Test
    void dbmateTransactionFalseAndDownSection() {
        Catalog catalog = load("dbmate");

        assertThat(catalog.layout()).isEqualTo("dbmate");
        assertThat(names(catalog)).containsExactly("20151127184807_create_users", "20151127185000_index_email");
        assertThat(nonTransactional(catalog)).containsExactly("20151127185000_index_email");
        applyFresh(catalog, db -> assertThat(validIndex(db, "dm_users_email")).isTrue());
    }

    @Test
    void gooseNoTransactionStatementBlocksAndDownSection() {
        Catalog catalog = load("goose");

        assertThat(catalog.layout()).isEqualTo("goose");
        assertThat(names(catalog)).containsExactly("00001_create_users", "00002_touch_function", "00003_index_email");
        assertThat(nonTransactional(catalog)).containsExactly("00003_index_email");
        applyFresh(catalog, db -> {
            assertThat(validIndex(db, "gs_users_email")).isTrue();
            assertThat(db.value("SELECT count(*) FROM pg_proc WHERE proname = 'gs_touch'")).isEqualTo("1");
        });
    }

    @Test
    void sqlxNoTransactionFirstLine() {
        Catalog catalog = load("sqlx");

        assertThat(catalog.layout()).isEqualTo("strata"); // 14-digit versions_name.sql: Strata's own names
        assertThat(CatalogLoader.fromLocations(List.of(fixture("sqlx")), "sqlx", false).layout()).isEqualTo("sqlx");
        assertThat(nonTransactional(catalog)).containsExactly("20210102000000_index_email");
        applyFresh(catalog, db -> assertThat(validIndex(db, "sx_users_email")).isTrue());
    }

    @Test
    void twentyDigitVersionsCompareAsNumbers() {
        Catalog catalog = load("ory");

        assertThat(names(catalog)).containsExactly("20150100000001000000_networks", "20150100000002000000_identities",
                "20200317160354000001_identity_state");
        applyFresh(catalog, db -> assertThat(columns(db, "ory_identities")).isEqualTo("id,nid,state"));
    }

    @Test
    void prismaFolderPerMigration() {
        Catalog catalog = load("prisma");

        assertThat(catalog.layout()).isEqualTo("prisma");
        assertThat(names(catalog)).containsExactly("20210101000000_init", "20210202000000_add_posts");
        applyFresh(catalog, db -> assertThat(columns(db, "Post")).isEqualTo("id,title,authorId"));
    }

    @Test
    void dieselUpFilesAndMetadataToml() {
        Catalog catalog = load("diesel");

        assertThat(catalog.layout()).isEqualTo("diesel");
        assertThat(names(catalog)).containsExactly("00000000000000_diesel_initial_setup",
                "2017-12-30-120000_create_users", "2018-01-01-000000_index_email");
        assertThat(nonTransactional(catalog)).containsExactly("2018-01-01-000000_index_email");
        applyFresh(catalog, db -> {
            assertThat(columns(db, "ds_users")).isEqualTo("id,email");
            assertThat(validIndex(db, "ds_users_email")).isTrue();
        });
    }

    @Test
    void postgresMigrationsHyphenNamesAndDisableTransaction() {
        Catalog catalog = load("postgres-migrations");

        assertThat(catalog.layout()).isEqualTo("postgres-migrations");
        assertThat(names(catalog)).containsExactly("0001-initial", "0002-index-email", "0003_add-name");
        assertThat(nonTransactional(catalog)).containsExactly("0002-index-email");
        applyFresh(catalog, db -> assertThat(columns(db, "pm_users")).isEqualTo("id,email,name"));
    }

    @Test
    void sqitchPlanOrderDependenciesAndVerifyScripts() {
        Catalog catalog = load("sqitch");

        assertThat(catalog.layout()).isEqualTo("sqitch");
        assertThat(names(catalog)).containsExactly("appschema", "users", "flips");
        CatalogMigration flips = catalog.migrations().get(2);
        assertThat(flips.dependencies()).containsExactly(1L, 2L);
        assertThat(flips.verifier().source()).endsWith("verify/flips.sql");
        applyFresh(catalog, db -> assertThat(columns(db, "flips")).isEqualTo("id,nickname,body,timestamp"));
    }

    @Test
    void sqitchVerifyThatFailsRollsTheChangeBack() {
        Engines.write(dir, "sqitch.plan", "%project=x\n\nwidgets 2020-01-01T00:00:00Z A <a@example.com> # widgets\n");
        Engines.write(dir, "deploy/widgets.sql", "BEGIN;\nCREATE TABLE widgets (id int);\nCOMMIT;\n");
        Engines.write(dir, "verify/widgets.sql", "BEGIN;\nSELECT no_such_column FROM widgets WHERE FALSE;\nROLLBACK;\n");
        Catalog catalog = CatalogLoader.fromLocations(List.of(dir), "auto", false);

        try (TestDatabase db = TestDatabase.create("layout")) {
            ConnectionPool database = Engines.database(db.url());
            try {
                catchThrowableOfType(MigrationFailedException.class, () -> Engines.migrator(catalog, database)
                        .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely());
                assertThat(db.value("SELECT to_regclass('widgets')")).isNull();
            } finally {
                database.close();
            }
        }
    }

    @Test
    void sqitchPlanChangeWithoutDeployScriptIsAnError() {
        Engines.write(dir, "sqitch.plan", "%project=x\n\na 2020-01-01T00:00:00Z A <a@example.com>\n"
                + "b [a] 2020-01-01T00:00:00Z A <a@example.com>\n");
        Engines.write(dir, "deploy/a.sql", "CREATE TABLE a (id int);\n");

        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> CatalogLoader.fromLocations(List.of(dir), "auto", false));

        assertThat(e).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("lists b").contains("deploy/b.sql"));
    }

    @Test
    void unknownLayoutIsAnError() {
        Engines.write(dir, "001_a.sql", "SELECT 1;\n");

        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> CatalogLoader.fromLocations(List.of(dir), "liquibase", false));

        assertThat(e.problems()).singleElement().asString().contains("unknown layout 'liquibase'").contains("flyway");
    }

    @Test
    void versionsCompareGroupByGroupAsNumbers() {
        assertThat(MigrationVersion.parse("1.2").compareTo(MigrationVersion.parse("1.10"))).isNegative();
        assertThat(MigrationVersion.parse("1").compareTo(MigrationVersion.parse("1.0"))).isZero();
        assertThat(MigrationVersion.parse("20150100000001000000").compareTo(MigrationVersion.parse("9223372036854775807"))).isPositive();
        assertThat(MigrationVersion.parse("20150100000001000000").asLong()).isEmpty();
        assertThat(MigrationVersion.parse("20210101000000").asLong()).contains(20210101000000L);
    }
}
