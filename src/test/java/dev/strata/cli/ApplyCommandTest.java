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

/** {@code strata apply N [--with-dependencies]} on one fresh database, in order. */
@Tag("cli")
@QuarkusMainTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApplyCommandTest {

    static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("apply");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static String tableOf(String name) {
        return db.value("SELECT to_regclass('" + name + "')::text");
    }

    private static List<String> recorded() {
        if (tableOf("schema_migrations") == null) {
            return List.of();
        }
        return db.query("SELECT migration_name FROM schema_migrations ORDER BY id");
    }

    @Test
    @Order(1)
    void applyRefusesAMigrationWhoseDependencyIsPendingAndAppliesNothing(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "12", "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput())
                .contains("012_fix_production_schema depends on migrations that are not applied yet: 007_crm_system_schema")
                .contains("--with-dependencies")
                .contains("strata apply 12 --with-dependencies");
        assertThat(result.getOutput()).doesNotContain(" applied in ");
        assertThat(recorded()).isEmpty();
        assertThat(tableOf("interactions")).isNull();
    }

    @Test
    @Order(2)
    void withDependenciesAppliesSevenThenTwelve(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "12", "--with-dependencies", "--url", db.url());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        String out = result.getOutput();
        assertThat(out).contains("007_crm_system_schema").contains("012_fix_production_schema");
        assertThat(out.indexOf("007_crm_system_schema")).isLessThan(out.indexOf("012_fix_production_schema"));
        assertThat(out.lines().filter(l -> l.contains(" applied in ")).count()).isEqualTo(2);
        assertThat(out.strip().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("Successfully applied 2 migrations").contains("now at 012_fix_production_schema");
        assertThat(recorded()).containsExactly("007_crm_system_schema", "012_fix_production_schema");
        assertThat(tableOf("interactions")).isEqualTo("interactions");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns "
                + "WHERE table_name = 'interactions' AND column_name = 'conversation_id'")).isEqualTo("1");
        assertThat(tableOf("cultural_knowledge")).as("001 is not a dependency of 012").isNull();
    }

    @Test
    @Order(3)
    void applyingItAgainAppliesNothing(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "12", "--url", db.url());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("No migration necessary").doesNotContain(" applied in ");
        assertThat(recorded()).hasSize(2);
    }

    @Test
    @Order(4)
    void anUnknownNumberIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "99", "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("no migration 099");
        assertThat(recorded()).hasSize(2);
    }

    @Test
    @Order(5)
    void applyingAnAppliedMigrationDoesNotClaimTheWholeSchemaIsUpToDate(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply", "12", "--url", db.url());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("No migration necessary").doesNotContain("Schema is up to date");
    }
}
