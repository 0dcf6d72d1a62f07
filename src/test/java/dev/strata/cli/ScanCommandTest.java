package dev.strata.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
        write(dir, "any_name.sql", "CREATE TABLE t (id int);\n\n  DROP /* sneaky */ SCHEMA crm CASCADE;\n");
        write(dir, "sub/clean.sql", "ALTER TABLE t DROP schema;\nCOMMENT ON TABLE t IS 'DROP SCHEMA x';\n");
        LaunchResult result = launcher.launch("scan", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(result.getOutput()).contains(dir.resolve("any_name.sql") + ":3:3: error drop-schema")
                .doesNotContain("clean.sql:1:1: error").contains("Scan: 1 error");
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
        write(dir, "t.sql", "TRUNCATE audit_log;\n");
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
