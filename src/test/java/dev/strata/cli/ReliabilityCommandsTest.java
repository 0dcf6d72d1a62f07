package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConnectionPool;
import dev.strata.history.MigrationLock;
import dev.strata.report.ExitCodes;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reliability verbs as a user runs them: a held migration lock (exit 4, naming the holder),
 * validate before and after the schema drifts, and baseline of a database the old Python system
 * migrated, with its schema_migrations table in the old layout.
 */
@Tag("cli")
@QuarkusMainTest
class ReliabilityCommandsTest {

    TestDatabase db;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("reliabilitycli");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void applyAllGivesUpOnAHeldLockWithExitFourAndNamesTheHolder(QuarkusMainLauncher launcher) {
        ConnectionPool other = Engines.database(db.url());
        try {
            SqlConnection holder = other.connect().await().indefinitely();
            holder.query("SELECT pg_advisory_lock(" + MigrationLock.KEY + ")").execute().await().indefinitely();
            String pid = holder.query("SELECT pg_backend_pid()").execute().await().indefinitely()
                    .iterator().next().getValue(0).toString();

            long started = System.nanoTime();
            LaunchResult result = launcher.launch("apply-all", "--lock-timeout", "500", "--url", db.url());
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.LOCK_TIMEOUT);
            assertThat(result.getErrorOutput()).contains("waiting for the migration lock, held by pid " + pid);
            assertThat(lastLine(result.getErrorOutput())).contains("could not take the migration lock within 500 ms")
                    .contains("held by pid " + pid).contains("--lock-timeout");
            assertThat(result.getOutput()).doesNotContain(" applied in ");
            assertThat(tookMs).as("gave up soon after --lock-timeout").isLessThan(15_000);
            assertThat(db.value("SELECT to_regclass('cultural_knowledge')::text")).isNull();

            holder.query("SELECT pg_advisory_unlock(" + MigrationLock.KEY + ")").execute().await().indefinitely();
            LaunchResult after = launcher.launch("apply-all", "--lock-timeout", "500", "--url", db.url());
            assertThat(after.exitCode()).as(after.getErrorOutput()).isZero();
            assertThat(after.getOutput()).contains("Successfully applied 8 migrations");
        } finally {
            other.close();
        }
    }

    @Test
    void validatePassesAfterApplyAllAndFailsWhenATableIsDropped(QuarkusMainLauncher launcher) {
        assertThat(launcher.launch("apply-all", "--url", db.url()).exitCode()).isZero();

        LaunchResult ok = launcher.launch("validate", "--url", db.url());
        assertThat(ok.exitCode()).as(ok.getErrorOutput()).isZero();
        assertThat(lastLine(ok.getOutput())).startsWith("Validated 8 applied migrations");

        db.query("DROP TABLE kg_relationships");
        LaunchResult drifted = launcher.launch("validate", "--url", db.url());
        assertThat(drifted.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(drifted.getOutput()).contains("014_knowledge_graph_tables.sql: verify failed")
                .contains("kg_relationships");
        assertThat(lastLine(drifted.getOutput())).startsWith("Validation failed: 1 problem");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).as("validate changes nothing").isEqualTo("8");
    }

    @Test
    void baselineAdoptsTheOldSystemsTableThenNothingIsPending(QuarkusMainLauncher launcher) {
        db.query("CREATE TABLE schema_migrations (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) UNIQUE NOT NULL, "
                + "migration_number INTEGER NOT NULL, executed_at TIMESTAMPTZ DEFAULT now(), "
                + "checksum VARCHAR(64) NOT NULL, description TEXT, execution_time_ms INTEGER)");
        for (CatalogMigration m : Engines.bundledCatalog().migrations()) {
            db.query(m.sql());
            if (m.number() <= 12) {
                db.query("INSERT INTO schema_migrations (migration_name, migration_number, checksum, description, "
                        + "execution_time_ms) VALUES ('" + m.name() + "', " + m.number() + ", md5('" + m.name()
                        + "'), 'python era', 40)");
            }
        }

        LaunchResult before = launcher.launch("status", "--exit-code", "--url", db.url());
        assertThat(before.exitCode()).as("four old checksums differ from the files: apply-all would refuse")
                .isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(before.getOutput()).as("old checksums are read, not rewritten, before baseline")
                .contains("Pending:  4").contains("Changed:  4");

        LaunchResult result = launcher.launch("baseline", "--up-to", "16", "--url", db.url());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput())
                .contains("001_fix_missing_tables ... adopted from the existing history")
                .contains("013_agentic_rag_tables ... recorded as applied (baseline)")
                .contains("016_add_summary_to_parent_docs ... recorded as applied (baseline)");
        assertThat(lastLine(result.getOutput())).isEqualTo("Baseline up to 016: 4 recorded, 4 adopted, 0 already recorded.");

        LaunchResult status = launcher.launch("status", "--exit-code", "--url", db.url());
        assertThat(status.exitCode()).as(status.getOutput()).isZero();
        assertThat(status.getOutput()).contains("Applied:  8").contains("Pending:  0").contains("Changed:  0")
                .contains("Schema is up to date.");
        assertThat(db.value("SELECT description FROM schema_migrations WHERE migration_number = 7"))
                .as("the old rows are adopted in place").isEqualTo("python era");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("8");

        LaunchResult apply = launcher.launch("apply-all", "--url", db.url());
        assertThat(apply.exitCode()).isZero();
        assertThat(apply.getOutput()).contains("No migration necessary");
    }
}
