package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line as users run it (bundled migrations, CDI-discovered classes): output and exit
 * codes of apply-all, list, info, status on one database, in order.
 */
@Tag("cli")
@QuarkusMainTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CommandsTest {

    static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("cli");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    @Test
    @Order(1)
    void statusExitCodeIsThreeWhileMigrationsArePending(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--exit-code", "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.PENDING);
        assertThat(result.getOutput()).contains("Pending:  8").contains("[pending] 001_fix_missing_tables");
        assertThat(lines(result.getOutput())).last().asString().contains("8 migrations are pending");
    }

    @Test
    @Order(2)
    void dryRunPrintsThePlanAndChangesNothing(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply-all", "--dry-run", "--url", db.url());
        assertThat(result.exitCode()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("would apply 8 migrations");
        assertThat(out.indexOf("007_crm_system_schema")).isLessThan(out.indexOf("010_fix_team_members_schema"));
        assertThat(out).contains("015_add_drive_columns  (after 013)");
        assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).isNull();
    }

    @Test
    @Order(3)
    void applyAllAppliesEveryMigrationWithALineEachAndASummaryLast(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply-all", "--url", db.url());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        List<String> out = lines(result.getOutput());
        assertThat(out.stream().filter(l -> l.contains(" applied in ")).map(l -> l.strip().substring(0, 3)).toList())
                .containsExactly("001", "007", "010", "012", "013", "014", "015", "016");
        assertThat(out).last().asString().startsWith("Successfully applied 8 migrations")
                .contains("now at 016_add_summary_to_parent_docs");
        assertThat(result.getErrorOutput()).doesNotContain("INFO").doesNotContain("WARN");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("8");
    }

    @Test
    @Order(4)
    void secondApplyAllAppliesNothing(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply-all", "--url", db.url());
        assertThat(result.exitCode()).isZero();
        assertThat(lines(result.getOutput())).last().asString().contains("Schema is up to date")
                .contains("No migration necessary");
        assertThat(result.getOutput()).doesNotContain(" applied in ");
    }

    @Test
    @Order(5)
    void statusReportsZeroPending(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--exit-code", "--url", db.url());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Applied:  8").contains("Pending:  0")
                .contains("Last applied: 016_add_summary_to_parent_docs");
    }

    @Test
    @Order(6)
    void listShowsNumberNameDependenciesAndState(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("list", "--url", db.url());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).containsPattern("010\\s+010_fix_team_members_schema\\s+007\\s+applied")
                .containsPattern("016\\s+016_add_summary_to_parent_docs\\s+013\\s+applied")
                .contains("8 migrations: 8 applied, 0 pending.");
    }

    @Test
    @Order(7)
    void infoShowsOneMigration(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("info", "12", "--url", db.url());
        assertThat(result.exitCode()).isZero();
        String checksum = db.value("SELECT checksum FROM schema_migrations WHERE migration_number = 12");
        assertThat(result.getOutput())
                .contains("db/migrations/012_fix_production_schema.sql")
                .contains("crm.migrations.Migration012")
                .contains("depends on:    007_crm_system_schema")
                .contains("dependents:    none")
                .contains(checksum + " (file)")
                .contains(checksum + " (matches the file)")
                .contains("state:         applied");
        LaunchResult seven = launcher.launch("info", "7", "--url", db.url());
        assertThat(seven.getOutput()).contains("dependents:    010_fix_team_members_schema, 012_fix_production_schema");
    }

    @Test
    @Order(8)
    void infoOfAnUnknownNumberIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("info", "99", "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("no migration 099");
    }

    @Test
    @Order(9)
    void editedHistoryIsReportedAsChanged(QuarkusMainLauncher launcher) {
        db.query("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE migration_number = 14");
        try {
            LaunchResult apply = launcher.launch("apply-all", "--url", db.url());
            assertThat(apply.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
            assertThat(apply.getErrorOutput()).contains("014_knowledge_graph_tables.sql: changed after it was applied")
                    .contains(repeat0());
            LaunchResult status = launcher.launch("status", "--url", db.url());
            assertThat(status.getOutput()).contains("Changed:  1").contains("[changed] 014_knowledge_graph_tables");
        } finally {
            db.query("UPDATE schema_migrations SET checksum = '"
                    + dev.strata.testing.Engines.bundledCatalog().find(14).orElseThrow().checksum()
                    + "' WHERE migration_number = 14");
        }
    }

    private static String repeat0() {
        return "0".repeat(64);
    }
}
