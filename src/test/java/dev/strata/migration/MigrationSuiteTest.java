package dev.strata.migration;

import dev.strata.config.Database;
import dev.strata.history.AppliedMigration;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application's migration suite on a real PostgreSQL: fresh database, apply all, every
 * verify passes, a second run applies nothing, status reports nothing pending.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MigrationSuiteTest {

    static TestDatabase db;
    static Database database;
    static Catalog catalog;

    @BeforeAll
    static void setUp() {
        db = TestDatabase.create("suite");
        database = Engines.database(db.url());
        catalog = Engines.bundledCatalog();
    }

    @AfterAll
    static void tearDown() {
        if (database != null) {
            database.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void everyVerifyFailsOnAnEmptyDatabase() {
        // A verify that passes before its migration ran would check nothing.
        for (CatalogMigration m : catalog.migrations()) {
            assertThatThrownBy(() -> database.connect().flatMap(c -> m.verifier().verify(c)
                            .eventually(c::close)).await().indefinitely())
                    .as("verify of %s on an empty database", m.name())
                    .isInstanceOf(VerifyException.class);
        }
    }

    @Test
    @Order(2)
    void appliesAllEightInDependencyOrder() {
        ApplyResult result = Engines.migrator(catalog, database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .await().indefinitely();
        assertThat(result.applied()).extracting(s -> s.migration().number())
                .containsExactly(1L, 7L, 10L, 12L, 13L, 14L, 15L, 16L);
        assertThat(db.query("SELECT migration_name || ' ' || checksum FROM schema_migrations ORDER BY id"))
                .containsExactlyElementsOf(catalog.migrations().stream().map(m -> m.name() + " " + m.checksum()).toList());
        assertThat(db.value("SELECT to_regclass('interactions')::text")).isEqualTo("interactions");
    }

    @Test
    @Order(3)
    void everyVerifyPassesAfterwardsInAReadOnlyTransaction() {
        for (CatalogMigration m : catalog.migrations()) {
            database.connect().flatMap(c -> c.query("BEGIN READ ONLY").execute()
                            .chain(() -> m.verifier().verify(c))
                            .eventually(() -> c.query("ROLLBACK").execute())
                            .eventually(c::close))
                    .await().indefinitely();
        }
    }

    @Test
    @Order(4)
    void secondRunAppliesNothing() {
        ApplyResult again = Engines.migrator(catalog, database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .await().indefinitely();
        assertThat(again.applied()).isEmpty();
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("8");
    }

    @Test
    @Order(5)
    void statusReportsNothingPending() {
        StatusReport report = Engines.migrator(catalog, database).status().await().indefinitely();
        assertThat(report.count(MigrationState.PENDING)).isZero();
        assertThat(report.appliedCount()).isEqualTo(8);
        assertThat(report.lastApplied()).map(AppliedMigration::name).contains("016_add_summary_to_parent_docs");
    }

    @Test
    @Order(6)
    void historyTableDocumentsEveryColumn() {
        List<String> undocumented = db.query("SELECT a.attname FROM pg_attribute a WHERE a.attrelid = "
                + "'schema_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
                + "AND col_description(a.attrelid, a.attnum) IS NULL");
        assertThat(undocumented).isEmpty();
    }
}
