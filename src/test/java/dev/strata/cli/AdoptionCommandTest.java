package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.report.ExitCodes;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line on a database golang-migrate migrated: apply-all adopts its history and keeps
 * Strata's own in strata_schema_migrations (announced), and status (text and JSON), list and
 * validate all read that table on every later run; a history table name Strata cannot use is a
 * usage error.
 */
@Tag("cli")
@QuarkusMainTest
class AdoptionCommandTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void golangMigrateDatabaseAdoptedThenEveryCommandReadsStrataHistoryBesideIt(QuarkusMainLauncher launcher)
            throws Exception {
        Files.writeString(dir.resolve("1_init.up.sql"), "CREATE TABLE cl_users (id integer PRIMARY KEY);\n");
        Files.writeString(dir.resolve("1_init.down.sql"), "DROP TABLE cl_users;\n");
        Files.writeString(dir.resolve("2_orders.up.sql"), "CREATE TABLE cl_orders (id integer PRIMARY KEY);\n");
        Files.writeString(dir.resolve("2_orders.down.sql"), "DROP TABLE cl_orders;\n");
        try (TestDatabase db = TestDatabase.create("adoptcli")) {
            // golang-migrate ran 1 (golang-migrate/migrate, database/postgres/postgres.go: its table and row)
            db.query("CREATE TABLE cl_users (id integer PRIMARY KEY)");
            db.query("CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\" (version bigint not null primary key,"
                    + " dirty boolean not null)");
            db.query("INSERT INTO schema_migrations (version, dirty) VALUES (1, false)");
            String location = dir.toString();

            LaunchResult apply = launcher.launch("apply-all", "--location", location, "--url", db.url());
            assertThat(apply.exitCode()).as(apply.getErrorOutput()).isEqualTo(ExitCodes.OK);
            assertThat(apply.getErrorOutput()).contains("schema_migrations (columns version, dirty) belongs to another tool")
                    .contains("strata_schema_migrations")
                    .contains("Adopted 1 migration from schema_migrations (recorded as adopted-golang-migrate)");
            assertThat(db.query("SELECT migration_name || ' ' || kind FROM strata_schema_migrations ORDER BY id"))
                    .containsExactly("1_init adopted-golang-migrate", "2_orders applied");
            assertThat(db.query("SELECT version || ' ' || dirty FROM schema_migrations")).containsExactly("1 false");

            LaunchResult again = launcher.launch("apply-all", "--location", location, "--url", db.url());
            assertThat(again.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(again.getErrorOutput()).doesNotContain("belongs to another tool");

            LaunchResult status = launcher.launch("status", "--location", location, "--url", db.url(), "--json");
            assertThat(status.exitCode()).as(status.getErrorOutput()).isEqualTo(ExitCodes.OK);
            JsonNode json = MAPPER.readTree(status.getOutput());
            assertThat(json.get("historyTable").asText()).isEqualTo("strata_schema_migrations");
            assertThat(json.get("applied").asInt()).isEqualTo(2);
            assertThat(json.get("pending").asInt()).isZero();
            assertThat(json.get("adopted")).hasSize(1);
            assertThat(json.get("adopted").get(0).get("tool").asText()).isEqualTo("golang-migrate");
            assertThat(json.get("adopted").get(0).get("table").asText()).isEqualTo("schema_migrations");
            assertThat(json.get("adopted").get(0).get("count").asInt()).isEqualTo(1);
            assertThat(json.get("adopted").get(0).get("at").asText()).isNotBlank();

            LaunchResult text = launcher.launch("status", "--location", location, "--url", db.url());
            assertThat(text.getOutput()).contains("History table: strata_schema_migrations")
                    .contains("Adopted:  1 migration from golang-migrate (schema_migrations) at ")
                    .contains("Schema is up to date.");

            LaunchResult list = launcher.launch("list", "--location", location, "--url", db.url());
            assertThat(list.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(list.getOutput()).containsPattern("1_init\\s+-\\s+applied").containsPattern("2_orders\\s+-\\s+applied");

            LaunchResult validate = launcher.launch("validate", "--location", location, "--url", db.url());
            assertThat(validate.exitCode()).as(validate.getOutput() + validate.getErrorOutput()).isEqualTo(ExitCodes.OK);
        }
    }

    /**
     * The no-op decided before the lock reads schema_migrations; it must not count when the run's
     * history table is another one (named, or refused as ambiguous).
     */
    @Test
    void upToDateSchemaMigrationsDecidesNothingWhenTheHistoryTableIsAnother(QuarkusMainLauncher launcher)
            throws Exception {
        Files.writeString(dir.resolve("001_first.sql"), "CREATE TABLE IF NOT EXISTS ht_first (id integer);\n");
        try (TestDatabase db = TestDatabase.create("adoptht")) {
            String location = dir.toString();
            LaunchResult first = launcher.launch("apply-all", "--location", location, "--url", db.url());
            assertThat(first.exitCode()).as(first.getErrorOutput()).isEqualTo(ExitCodes.OK);

            LaunchResult named = launcher.launch("apply-all", "--location", location, "--url", db.url(),
                    "--history-table", "other_history");
            assertThat(named.exitCode()).as(named.getErrorOutput()).isEqualTo(ExitCodes.OK);
            assertThat(db.query("SELECT migration_name FROM other_history")).containsExactly("001_first");

            db.query("CREATE TABLE strata_schema_migrations (LIKE schema_migrations INCLUDING ALL)");
            LaunchResult ambiguous = launcher.launch("apply-all", "--location", location, "--url", db.url());
            assertThat(ambiguous.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
            assertThat(ambiguous.getErrorOutput()).contains("both schema_migrations and strata_schema_migrations");
        }
    }

    @Test
    void historyTableThatCannotBeUsedIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--history-table", "Strata History",
                "--url", "postgresql://app@127.0.0.1:1/app");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("--history-table").contains("not an unquoted lower-case identifier")
                .doesNotContain("cannot connect");
    }
}
