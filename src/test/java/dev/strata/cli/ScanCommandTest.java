package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.testing.TestDatabase;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code strata scan} and the safety gate of {@code apply-all}, which refuses before connecting. */
@Tag("cli")
@QuarkusMainTest
class ScanCommandTest {

    /** Nothing listens here: a command that tried to connect would say "cannot connect". */
    private static final String UNREACHABLE = "postgresql://app@127.0.0.1:1/app";

    @TempDir
    Path dir;

    @Test
    void bundledMigrationsScanWithoutErrors(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("scan");
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Scan: 0 errors").contains("in 8 files");
    }

    @Test
    void directoryWithADropSchemaExitsFiveWithThePosition(QuarkusMainLauncher launcher) {
        write(dir, "001_any_name.sql", "CREATE TABLE t (id int);\n\n  DROP /* sneaky */ SCHEMA crm CASCADE;\n");
        write(dir, "002_clean.sql", "ALTER TABLE t DROP schema;\nCOMMENT ON TABLE t IS 'DROP SCHEMA x';\n");
        LaunchResult result = launcher.launch("scan", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(result.getOutput()).contains(dir.resolve("001_any_name.sql") + ":3:3: error drop-schema")
                .doesNotContain("clean.sql:1:1: error").contains("Scan: 1 error").contains("in 2 files");
    }

    @Test
    void allowanceOfAnUnknownRuleIsAUsageErrorNamingTheKnownRules(QuarkusMainLauncher launcher) {
        write(dir, "001_reset.sql", "-- Allow: trunacte monthly reset of the staging table\nTRUNCATE staging;\n");
        LaunchResult result = launcher.launch("scan", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("001_reset.sql").contains("unknown rule trunacte")
                .contains("known rules: drop-schema, drop-database, truncate");
        LaunchResult file = launcher.launch("scan", dir.resolve("001_reset.sql").toString());
        assertThat(file.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(file.getErrorOutput()).contains("unknown rule trunacte");
    }

    @Test
    void commandLineAllowanceAllowsTheFindingAndShowsItsReason(QuarkusMainLauncher launcher) {
        write(dir, "001_reset.sql", "SELECT 1;\nTRUNCATE staging;\n");
        LaunchResult result = launcher.launch("scan", "--allow", "truncate@1=monthly reset of the staging table", dir.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getErrorOutput()).contains("allowed: truncate in ")
                .contains("001_reset.sql:2:1 — monthly reset of the staging table");
        assertThat(result.getOutput()).doesNotContain("error truncate");
    }

    @Test
    void commandLineAllowanceThatMatchesNothingIsAWarning(QuarkusMainLauncher launcher) {
        write(dir, "001_reset.sql", "TRUNCATE staging;\n");
        write(dir, "002_clean.sql", "SELECT 1;\n");
        LaunchResult result = launcher.launch("scan", "--allow", "truncate@2=wrong file", "--allow", "truncate@9=no such", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(result.getErrorOutput()).contains("warning: --allow truncate@2=wrong file matches no truncate finding")
                .contains("warning: --allow truncate@9=no such names no migration");
    }

    @ParameterizedTest
    @ValueSource(strings = {"truncate@1", "truncate@1=  ", "trunacte@1=typo", "drop-database@1=never", "truncate=x"})
    void commandLineAllowanceWithoutReasonOrKnownRuleIsAUsageError(String entry, QuarkusMainLauncher launcher) {
        write(dir, "001_reset.sql", "TRUNCATE staging;\n");
        LaunchResult result = launcher.launch("scan", "--allow", entry, dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("--allow " + entry.strip());
    }

    @Test
    void cleanFileExitsZero(QuarkusMainLauncher launcher) {
        write(dir, "ok.sql", "GRANT TRUNCATE ON t TO app;\nSELECT 'DROP DATABASE x';\n");
        LaunchResult result = launcher.launch("scan", dir.resolve("ok.sql").toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("Scan: 0 errors, 0 warnings in 1 file");
    }

    @Test
    void jsonOutputParsesAndCarriesEveryField(QuarkusMainLauncher launcher) throws Exception {
        write(dir, "001_t.sql", "TRUNCATE audit_log;\n");
        LaunchResult result = launcher.launch("scan", "--json", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        JsonNode json = new ObjectMapper().readTree(result.getOutput());
        assertThat(json.get("errors").asInt()).isEqualTo(1);
        JsonNode finding = json.get("findings").get(0);
        assertThat(finding.get("rule").asText()).isEqualTo("truncate");
        assertThat(finding.get("line").asInt()).isEqualTo(1);
        assertThat(finding.get("column").asInt()).isEqualTo(1);
        assertThat(finding.get("severity").asText()).isEqualTo("error");
        assertThat(finding.get("hint").asText()).isNotBlank();
    }

    @Test
    void allowanceWithAReasonSilencesTruncate(QuarkusMainLauncher launcher) {
        write(dir, "001_reload.sql", "-- Allow: truncate staging is rebuilt from the source on every deploy\nTRUNCATE staging;\n");
        assertThat(launcher.launch("scan", dir.toString()).exitCode()).isZero();
    }

    @Test
    void promotedWarningBecomesAnError(QuarkusMainLauncher launcher) {
        write(dir, "001_drop.sql", "DROP TABLE IF EXISTS old_things;\n");
        assertThat(launcher.launch("scan", dir.toString()).exitCode()).isZero();
        LaunchResult strict = launcher.launch("scan", "--error-on", "drop-table", dir.toString());
        assertThat(strict.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(strict.getOutput()).contains("error drop-table");
    }

    @Test
    void golangMigrateFolderScansCleanAndApplies(QuarkusMainLauncher launcher) {
        write(dir, "001_init.up.sql", "CREATE TABLE IF NOT EXISTS accounts (id int);\n");
        write(dir, "001_init.down.sql", "DROP SCHEMA public CASCADE;\n");
        LaunchResult scan = launcher.launch("scan", dir.toString());
        assertThat(scan.exitCode()).as(scan.getOutput()).isZero();
        assertThat(scan.getOutput()).doesNotContain("down.sql").contains("Scan: 0 errors, 0 warnings in 1 file.");
        try (TestDatabase db = TestDatabase.create("scangolang")) {
            LaunchResult apply = launcher.launch("apply-all", "--location", dir.toString(), "--url", db.url());
            assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();
            assertThat(db.query("SELECT migration_name FROM schema_migrations")).containsExactly("001_init");
            assertThat(db.value("SELECT to_regclass('public.accounts')::text")).isEqualTo("accounts");
        }
    }

    @Test
    void aSingleDownFileNamedOnTheCommandLineIsStillScanned(QuarkusMainLauncher launcher) {
        write(dir, "001_init.up.sql", "CREATE TABLE IF NOT EXISTS accounts (id int);\n");
        Path down = write(dir, "001_init.down.sql", "DROP SCHEMA public CASCADE;\n");
        LaunchResult scan = launcher.launch("scan", down.toString());
        assertThat(scan.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(scan.getOutput()).contains(down + ":1:1: error drop-schema");
    }

    @Test
    void scanOfADirectorySeesWhatApplyAllSees(QuarkusMainLauncher launcher) {
        write(dir, "001_init.sql", "CREATE TABLE IF NOT EXISTS a (id int);\n");
        write(dir, "archive/002_old.sql", "DROP SCHEMA public CASCADE;\n");
        for (String[] args : new String[][] {{"scan", dir.toString()},
                {"apply-all", "--location", dir.toString(), "--url", UNREACHABLE}}) {
            LaunchResult result = launcher.launch(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(result.getErrorOutput()).contains("archive/002_old.sql").contains("subdirectories")
                    .doesNotContain("cannot connect");
        }
    }

    @Test
    void emptyLocationIsAnErrorUnlessAllowed(QuarkusMainLauncher launcher) {
        write(dir, "README.md", "nothing here yet\n");
        for (String command : new String[] {"apply-all", "status"}) {
            LaunchResult result = launcher.launch(command, "--location", dir.toString(), "--url", UNREACHABLE);
            assertThat(result.exitCode()).as(command).isEqualTo(ExitCodes.USAGE);
            assertThat(result.getErrorOutput()).contains("no migrations found in " + dir + "; files there: README.md")
                    .contains("--allow-empty").doesNotContain("cannot connect");
            assertThat(result.getOutput()).doesNotContainIgnoringCase("up to date");
        }
        LaunchResult scan = launcher.launch("scan", dir.toString());
        assertThat(scan.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(scan.getErrorOutput()).contains("no migrations found in " + dir);
        try (TestDatabase db = TestDatabase.create("scanempty")) {
            LaunchResult allowed = launcher.launch("apply-all", "--allow-empty", "--location", dir.toString(),
                    "--url", db.url());
            assertThat(allowed.exitCode()).as(allowed.getErrorOutput()).isZero();
        }
    }

    @Test
    void prismaFolderReadAsStrataIsRefusedNamingWhatWasFound(QuarkusMainLauncher launcher) {
        write(dir, "20210101000000_init/migration.sql", "CREATE TABLE a (id int);\n");
        write(dir, "20210202000000_more/migration.sql", "CREATE TABLE b (id int);\n");
        write(dir, "migration_lock.toml", "provider = \"postgresql\"\n");
        LaunchResult detected = launcher.launch("scan", dir.toString());
        assertThat(detected.exitCode()).as(detected.getErrorOutput()).isZero();
        assertThat(detected.getOutput()).contains("in 2 files");
        for (String[] args : new String[][] {{"scan", "--layout", "strata", dir.toString()},
                {"apply-all", "--layout", "strata", "--location", dir.toString(), "--url", UNREACHABLE},
                {"status", "--layout", "strata", "--location", dir.toString(), "--url", UNREACHABLE}}) {
            LaunchResult result = launcher.launch(args);
            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
            assertThat(result.getErrorOutput())
                    .contains("20210101000000_init/migration.sql, 20210202000000_more/migration.sql")
                    .doesNotContain("cannot connect");
            assertThat(result.getOutput()).doesNotContainIgnoringCase("up to date");
        }
    }

    @Test
    void filesThatWouldBeSkippedAreErrorsBeforeConnecting(QuarkusMainLauncher launcher) throws Exception {
        write(dir, "001_init.sql", "CREATE TABLE IF NOT EXISTS a (id int);\n");
        java.nio.file.Files.createSymbolicLink(dir.resolve("002_gone.sql"), dir.resolve("missing.sql"));
        java.nio.file.Files.createSymbolicLink(dir.resolve("003_self.sql"), Path.of("003_self.sql"));
        java.nio.file.Files.write(dir.resolve("004_nul.sql"), "SELECT 'a\0';\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LaunchResult result = launcher.launch("apply-all", "--location", dir.toString(), "--url", UNREACHABLE);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains(dir.resolve("002_gone.sql") + ": symbolic link to")
                .contains(dir.resolve("003_self.sql") + ": symbolic link that loops")
                .contains(dir.resolve("004_nul.sql") + ":1:10: NUL byte; PostgreSQL cannot accept NUL in query text")
                .doesNotContain("cannot connect");
    }

    @Test
    void upperCaseExtensionIsApplied(QuarkusMainLauncher launcher) {
        write(dir, "001_init.sql", "CREATE TABLE IF NOT EXISTS a (id int);\n");
        write(dir, "002_more.SQL", "CREATE TABLE IF NOT EXISTS b (id int);\n");
        try (TestDatabase db = TestDatabase.create("scanupper")) {
            LaunchResult apply = launcher.launch("apply-all", "--location", dir.toString(), "--url", db.url());
            assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();
            assertThat(db.query("SELECT migration_name FROM schema_migrations ORDER BY id"))
                    .containsExactly("001_init", "002_more");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "DROP /* between */ SCHEMA crm;",
            "drop\n-- a comment line\nschema if exists crm cascade;",
            "DROP DATABASE crm WITH (FORCE);",
            "DO $$ BEGIN EXECUTE 'DROP SCHEMA crm CASCADE'; END $$;",
            "DO $body$ BEGIN\n  DROP SCHEMA crm;\nEND $body$;",
            "CREATE FUNCTION f() RETURNS void LANGUAGE sql BEGIN ATOMIC DROP SCHEMA crm; END;",
            "TRUNCATE TABLE clients;",
            "CREATE INDEX CONCURRENTLY i ON t (c);",
            "SELECT 1;\nCOMMIT;\nDROP TABLE x;"})
    void applyAllRefusesEvasionsBeforeConnecting(String sql, QuarkusMainLauncher launcher) {
        write(dir, "001_ok.sql", "CREATE TABLE IF NOT EXISTS ok (id int);\n");
        write(dir, "002_evil.sql", sql + "\n");
        for (String[] args : new String[][] {
                {"apply-all", "--location", dir.toString(), "--url", UNREACHABLE},
                {"apply-all", "--dry-run", "--location", dir.toString(), "--url", UNREACHABLE}}) {
            LaunchResult result = launcher.launch(args);
            assertThat(result.exitCode()).as(sql).isEqualTo(ExitCodes.SAFETY_VIOLATION);
            assertThat(result.getErrorOutput()).contains("002_evil.sql:").contains(": error ")
                    .contains("no connection was made").doesNotContain("cannot connect");
        }
    }
}
