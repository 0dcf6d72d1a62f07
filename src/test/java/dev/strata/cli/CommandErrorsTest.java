package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/** Error paths of the command line: exit codes, messages, and nothing touched before validation. */
@Tag("cli")
@QuarkusMainTest
class CommandErrorsTest {

    /** A URL nothing listens on: a command that reaches the database would say so. */
    private static final String UNREACHABLE = "postgresql://app:s3cr3t-pw@127.0.0.1:1/app";

    @TempDir
    Path dir;

    @Test
    void cycleIsReportedWithoutConnecting(QuarkusMainLauncher launcher) {
        write(dir, "001_a.sql", "-- Dependencies: 2\nSELECT 1;\n");
        write(dir, "002_b.sql", "-- Dependencies: 1\nSELECT 1;\n");
        LaunchResult result = launcher.launch("apply-all", "--location", dir.toString(), "--url", UNREACHABLE);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("dependency cycle: " + dir + "/001_a.sql -> " + dir + "/002_b.sql -> "
                + dir + "/001_a.sql").doesNotContain("cannot connect");
    }

    @Test
    void missingDependencyIsReportedWithoutConnecting(QuarkusMainLauncher launcher) {
        write(dir, "003_c.sql", "-- Dependencies: 9\nSELECT 1;\n");
        LaunchResult result = launcher.launch("apply-all", "--location", dir.toString(), "--url", UNREACHABLE);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("003_c.sql: depends on migration 009").doesNotContain("cannot connect");
    }

    @Test
    void missingLocationIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--location", dir.resolve("nope").toString());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("nope does not exist");
    }

    @Test
    void unreachableDatabaseNamesTheTargetButNeverThePassword(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--url", UNREACHABLE, "--connect-timeout", "300");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("cannot connect to app on 127.0.0.1:1 as app");
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain("s3cr3t-pw");
    }

    @Test
    void unknownOptionIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply-all", "--no-such-option");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("--no-such-option");
    }

    @Test
    void misspeltCommandSuggestsTheRealOne(QuarkusMainLauncher launcher) {
        // only the named subcommand is registered on a normal run; an unknown word must still see all of them
        LaunchResult result = launcher.launch("aply-all");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("aply-all").contains("apply-all");
    }

    @Test
    void topLevelHelpListsEverySubcommand(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--help");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        for (String name : StrataCommand.SUBCOMMANDS.keySet()) {
            assertThat(result.getOutput()).contains("  " + name + " ");
        }
    }

    @Test
    void versionPrintsTheVersionAndRegistersNoSubcommand(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("--version");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.getOutput()).startsWith("strata ").doesNotContain("unknown");
        assertThat(StrataCommand.subcommandsFor(new String[] {"-V"})).isEmpty();
        assertThat(StrataCommand.subcommandsFor(new String[] {"status", "--json"})).containsExactly(StatusCommand.class);
        assertThat(StrataCommand.subcommandsFor(new String[] {"--help"})).hasSize(StrataCommand.SUBCOMMANDS.size());
        assertThat(StrataCommand.subcommandsFor(new String[0])).hasSize(StrataCommand.SUBCOMMANDS.size());
    }

    @Test
    void subcommandNamesMatchTheirAnnotations() {
        StrataCommand.SUBCOMMANDS.forEach((name, type) -> assertThat(
                type.getAnnotation(picocli.CommandLine.Command.class).name()).as(type.getName()).isEqualTo(name));
    }

    @Test
    void brokenMigrationIsRolledBackReportedWithFileAndLineAndExitsOne(QuarkusMainLauncher launcher) {
        try (TestDatabase db = TestDatabase.create("clierr")) {
            write(dir, "001_ok.sql", "CREATE TABLE ok (id int);\n");
            write(dir, "002_broken.sql", "-- Dependencies: 1\nCREATE TABLE half (id int);\nINSERT INTO half VALUES ('x');\n");
            LaunchResult result = launcher.launch("apply-all", "--location", dir.toString(), "--url", db.url());
            assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
            assertThat(result.getOutput()).contains("001_ok");
            assertThat(result.getErrorOutput()).contains(dir + "/002_broken.sql:3:26: error 22P02");
            assertThat(result.getErrorOutput().strip().lines().reduce((a, b) -> b).orElseThrow())
                    .contains("migration 002_broken failed and was rolled back")
                    .contains("the 1 migration applied before it in this run stays applied");
            assertThat(db.value("SELECT to_regclass('half')::text")).isNull();
            assertThat(db.query("SELECT migration_name FROM schema_migrations")).containsExactly("001_ok");
        }
    }

    @Test
    void locationWithHundredsOfSqlOnlyMigrationsIsAppliedInOrder(QuarkusMainLauncher launcher) {
        try (TestDatabase db = TestDatabase.create("cliloc")) {
            for (int i = 1; i <= 300; i++) {
                String deps = i % 10 == 0 ? "-- Dependencies: " + (i - 1) + "\n" : "";
                write(dir, String.format("%04d_step_%d.sql", i, i), "-- Description: step " + i + "\n" + deps
                        + "CREATE TABLE step_" + i + " (id int PRIMARY KEY, note text DEFAULT 'step " + i + "');\n"
                        + "INSERT INTO step_" + i + " (id) VALUES (" + i + ");\n");
            }
            LaunchResult result = launcher.launch("apply-all", "--location", dir.toString(), "--url", db.url());
            assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
            assertThat(result.getOutput()).contains("Successfully applied 300 migrations");
            assertThat(db.query("SELECT migration_number::text FROM schema_migrations ORDER BY id"))
                    .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 300).mapToObj(String::valueOf).toList());
            LaunchResult again = launcher.launch("apply-all", "--location", dir.toString(), "--url", db.url());
            assertThat(again.getOutput()).contains("No migration necessary");
        }
    }
}
