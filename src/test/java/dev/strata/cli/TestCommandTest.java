package dev.strata.cli;

import dev.strata.report.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata test} on SQL-only folders: a vacuous and a broken verify step are named, a good
 * folder passes, the scratch database is gone afterwards and the configured database is untouched.
 */
@QuarkusMainTest
@Tag("cli")
class TestCommandTest {

    private static final Pattern SCRATCH = Pattern.compile("strata_test_[0-9a-f]{8}");

    @TempDir
    Path dir;

    /** The configured database: the suite may use its server, never the database itself. */
    TestDatabase configured;
    Set<String> scratchBefore;

    @BeforeEach
    void createConfiguredDatabase() {
        configured = TestDatabase.create("testcmd");
        scratchBefore = scratchDatabases();
    }

    @AfterEach
    void dropConfiguredDatabase() {
        configured.close();
    }

    private Set<String> scratchDatabases() {
        return new HashSet<>(configured.query("SELECT datname FROM pg_database WHERE datname LIKE 'strata\\_test\\_%'"));
    }

    private static List<String> lines(String text) {
        return text.lines().filter(l -> !l.isBlank()).toList();
    }

    /** The scratch database the run named is gone, no other one appeared, and the configured one has no table. */
    private void assertNothingLeftBehind(LaunchResult result) {
        Matcher matcher = SCRATCH.matcher(result.getOutput() + result.getErrorOutput());
        assertThat(matcher.find()).as("the run names its scratch database").isTrue();
        Set<String> left = scratchDatabases();
        assertThat(left).doesNotContain(matcher.group());
        assertThat(left).as("scratch databases left behind").isSubsetOf(scratchBefore);
        assertThat(configured.value("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'public'")).as("the configured database is untouched").isEqualTo("0");
    }

    private void sqlMigration(String name, String header, String sql, String verify) {
        write(dir, name + ".sql", "-- Description: " + name + "\n" + header + sql);
        if (verify != null) {
            write(dir, name + ".verify.sql", verify);
        }
    }

    private void badFolder() {
        sqlMigration("001_good", "", "CREATE TABLE a (id int);\n", "SELECT to_regclass('a') IS NOT NULL;\n");
        sqlMigration("002_vacuous", "", "CREATE TABLE b (id int);\n", "SELECT true;\n");
        sqlMigration("003_broken", "", "CREATE TABLE c (id int);\n", "SELECT to_regclass('no_such_table') IS NOT NULL;\n");
    }

    @Test
    void vacuousAndBrokenVerifyStepsAreNamedAndTheGoodOneIsOk(QuarkusMainLauncher launcher) {
        badFolder();

        LaunchResult result = launcher.launch("test", "--location", dir.toString(), "--url", configured.url());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        List<String> out = lines(result.getOutput());
        assertThat(out).anyMatch(l -> l.startsWith("  001_good ") && l.endsWith(" ok"));
        assertThat(out).anyMatch(l -> l.startsWith("  002_vacuous ")
                && l.contains("verify of 002_vacuous passes before 002_vacuous ran: it checks nothing"));
        assertThat(out).anyMatch(l -> l.startsWith("  003_broken ")
                && l.contains("verify of 003_broken fails after 003_broken ran"));
        assertThat(out).last().asString().startsWith("Migration suite failed: 2 of 3 migrations with problems: "
                + "002_vacuous, 003_broken (");
        assertNothingLeftBehind(result);
    }

    @Test
    void jsonNamesExactlyTheOffendingMigrations(QuarkusMainLauncher launcher) throws Exception {
        badFolder();

        LaunchResult result = launcher.launch("test", "--json", "--location", dir.toString(), "--url", configured.url());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        JsonNode json = new ObjectMapper().readTree(result.getOutput());
        assertThat(json.get("passed").asBoolean()).isFalse();
        List<String> offending = new ArrayList<>();
        json.get("offending").forEach(n -> offending.add(n.asText()));
        assertThat(offending).containsExactly("002_vacuous", "003_broken");
        List<String> outcomes = new ArrayList<>();
        json.get("migrations").forEach(m -> outcomes.add(m.get("name").asText() + " " + m.get("outcome").asText()));
        assertThat(outcomes).containsExactly("001_good ok", "002_vacuous problem", "003_broken problem");
        assertThat(json.get("rerun").get("outcome").asText()).isEqualTo("ok");
        assertThat(json.get("validate").get("outcome").asText()).isEqualTo("ok");
        assertThat(json.get("dropped").asBoolean()).isTrue();
        assertThat(json.get("scratchDatabase").asText()).matches("postgresql://[^:]+@[^/]+/strata_test_[0-9a-f]{8}");
        assertNothingLeftBehind(result);
    }

    @Test
    void goodFolderPassesInPlanOrder(QuarkusMainLauncher launcher) {
        // 001 depends on 002: plan order differs from number order
        sqlMigration("001_orders", "-- Dependencies: 2\n",
                "CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers);\n",
                "SELECT to_regclass('orders') IS NOT NULL;\n");
        sqlMigration("002_customers", "", "CREATE TABLE customers (id int PRIMARY KEY);\n",
                "SELECT 1 / count(*) FROM pg_class WHERE relname = 'customers';\n");

        LaunchResult result = launcher.launch("test", "--location", dir.toString(), "--url", configured.url());

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        List<String> out = lines(result.getOutput());
        assertThat(out.stream().map(String::strip).map(l -> l.substring(0, l.indexOf(' '))).toList())
                .containsExactly("002_customers", "001_orders", "re-run", "validate", "Migration");
        assertThat(out.subList(0, 4)).allMatch(l -> l.endsWith(" ok"));
        assertThat(out).last().asString().startsWith("Migration suite passed: 2 migrations");
        assertNothingLeftBehind(result);
    }

    @Test
    void migrationWithoutAVerifyStepFailsUnlessAllowed(QuarkusMainLauncher launcher) {
        sqlMigration("001_unchecked", "", "CREATE TABLE u (id int);\n", null);

        LaunchResult strict = launcher.launch("test", "--location", dir.toString(), "--url", configured.url());
        assertThat(strict.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(strict.getOutput()).contains("no verify step: nothing checks that 001_unchecked did what it says; "
                + "add 001_unchecked.verify.sql beside it");
        assertNothingLeftBehind(strict);

        LaunchResult allowed = launcher.launch("test", "--allow-no-verify", "--location", dir.toString(),
                "--url", configured.url());
        assertThat(allowed.exitCode()).as(allowed.getOutput()).isZero();
        assertThat(allowed.getOutput()).contains("001_unchecked").contains("ok (no verify step");
        assertNothingLeftBehind(allowed);
    }

    @Test
    void failingSqlIsLocatedAndItsDependentsAreNotChecked(QuarkusMainLauncher launcher) {
        sqlMigration("001_fails", "", "CREATE TABLE f (id int);\nINSERT INTO f VALUES ('x');\n",
                "SELECT to_regclass('f') IS NOT NULL;\n");
        sqlMigration("002_after", "-- Dependencies: 1\n", "ALTER TABLE f ADD COLUMN v int;\n",
                "SELECT count(*) = 1 FROM information_schema.columns WHERE table_name = 'f' AND column_name = 'v';\n");
        sqlMigration("003_other", "", "CREATE TABLE o (id int);\n", "SELECT to_regclass('o') IS NOT NULL;\n");

        LaunchResult result = launcher.launch("test", "--location", dir.toString(), "--url", configured.url());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        List<String> out = lines(result.getOutput());
        assertThat(out).anyMatch(l -> l.startsWith("  001_fails ") && l.contains("001_fails.sql:3:23: error 22P02"));
        assertThat(out).anyMatch(l -> l.startsWith("  002_after ") && l.contains("skipped: not checked: it depends on 001_fails"));
        assertThat(out).anyMatch(l -> l.startsWith("  003_other ") && l.endsWith(" ok"));
        assertThat(out).last().asString().startsWith("Migration suite failed: 1 of 3 migrations with problems: 001_fails; 1 not checked");
        assertNothingLeftBehind(result);
    }

    @Test
    void userWithoutCreatedbIsToldWhatToDo(QuarkusMainLauncher launcher) {
        sqlMigration("001_good", "", "CREATE TABLE a (id int);\n", "SELECT to_regclass('a') IS NOT NULL;\n");
        String role = configured.name() + "_nocreatedb";
        configured.query("CREATE ROLE " + role + " LOGIN NOCREATEDB");
        try {
            String url = configured.url().replaceFirst("://[^@]+@", "://" + role + "@");
            LaunchResult result = launcher.launch("test", "--location", dir.toString(), "--url", url);
            assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(ExitCodes.USAGE);
            assertThat(lines(result.getErrorOutput())).last().asString()
                    .contains("cannot create a scratch database on").contains("permission denied")
                    .contains("grant CREATEDB to the user, or give an empty database with --scratch-url");
            assertThat(scratchDatabases()).isSubsetOf(scratchBefore);
        } finally {
            configured.query("DROP ROLE " + role);
        }
    }

    @Test
    void givenScratchDatabaseIsUsedAndKept(QuarkusMainLauncher launcher) {
        sqlMigration("001_good", "", "CREATE TABLE a (id int);\n", "SELECT to_regclass('a') IS NOT NULL;\n");
        try (TestDatabase scratch = TestDatabase.create("scratch")) {
            LaunchResult result = launcher.launch("test", "--location", dir.toString(), "--scratch-url", scratch.url(),
                    "--url", configured.url());
            assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
            assertThat(lines(result.getOutput())).last().asString().contains(scratch.name() + ", kept");
            assertThat(scratch.query("SELECT migration_name FROM schema_migrations")).containsExactly("001_good");
            assertThat(scratchDatabases()).isEqualTo(scratchBefore);

            LaunchResult again = launcher.launch("test", "--location", dir.toString(), "--scratch-url", scratch.url());
            assertThat(again.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(again.getErrorOutput()).contains("is not empty").contains("give an empty database");
        }
    }
}
