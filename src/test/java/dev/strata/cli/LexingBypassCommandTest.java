package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/** A file that turns standard_conforming_strings off to hide a DROP SCHEMA is refused, and the schema survives. */
@Tag("cli")
@QuarkusMainTest
class LexingBypassCommandTest {

    private static final String BYPASS = "SET standard_conforming_strings = off;\n"
            + "SELECT '\\' AS a, ' ; DROP SCHEMA victim CASCADE; -- ';\n";

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("lexing_bypass");
        db.query("CREATE SCHEMA victim");
        db.query("CREATE TABLE victim.precious (id int)");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void scanRefusesTheFile(QuarkusMainLauncher launcher) {
        write(dir, "001_bypass.sql", BYPASS);
        LaunchResult result = launcher.launch("scan", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(result.getOutput()).contains(dir.resolve("001_bypass.sql") + ":1:1: error lexing-setting")
                .contains("hint: remove it");
    }

    @Test
    void applyAllRefusesItBeforeConnectingAndTheSchemaSurvives(QuarkusMainLauncher launcher) {
        write(dir, "001_bypass.sql", BYPASS);
        LaunchResult result = launcher.launch("apply-all", "--url", db.url(), "--location", dir.toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(result.getErrorOutput() + result.getOutput()).contains("lexing-setting");
        assertThat(db.value("SELECT to_regclass('victim.precious')::text")).isEqualTo("victim.precious");
    }
}
