package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smaller untruths of issue 12: what {@code info}, {@code baseline}, {@code status --exit-code},
 * {@code --error-on} and the scanner's hints say at the edges.
 */
@Tag("cli")
@QuarkusMainTest
class TruthfulEdgesTest {

    TestDatabase db;
    @TempDir
    Path dir;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("edges");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private LaunchResult inDir(QuarkusMainLauncher launcher, String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 4);
        all[args.length] = "--location";
        all[args.length + 1] = dir.toString();
        all[args.length + 2] = "--url";
        all[args.length + 3] = db.url();
        return launcher.launch(all);
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void infoOfAFailedNonTransactionalMigrationDoesNotSayApplied(QuarkusMainLauncher launcher) {
        Engines.write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        Engines.write(dir, "002_index.sql", "-- Dependencies: 1\n-- Transactional: false\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS people_x ON people (no_such_column);\n");
        LaunchResult apply = inDir(launcher, "apply-all");
        assertThat(apply.exitCode()).as(apply.getErrorOutput()).isEqualTo(ExitCodes.MIGRATION_FAILED);

        LaunchResult info = inDir(launcher, "info", "2");
        assertThat(info.exitCode()).as(info.getErrorOutput()).isZero();
        assertThat(info.getOutput()).contains("state:         failed")
                .doesNotContain("applied at:").doesNotContain("(applied)")
                .contains("attempted at:").contains("failed part-way, not applied");
        assertThat(inDir(launcher, "info", "1").getOutput()).contains("applied at:").contains("(applied)");
    }

    @Test
    void baselineOfAnEmptyDatabaseSaysHowManyVerifyStepsFailed(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("baseline", "--up-to", "16", "--url", db.url());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        String last = lastLine(result.getErrorOutput());
        assertThat(last).doesNotContain("schema history disagrees").doesNotContain("problems");
        Matcher m = Pattern.compile("baseline refused: (\\d+) of 8 verify steps failed").matcher(last);
        assertThat(m.find()).as(last).isTrue();
        long failedLines = result.getErrorOutput().lines().filter(l -> l.contains(": verify failed")).count();
        assertThat(failedLines).isPositive().isEqualTo(Long.parseLong(m.group(1)));
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void statusNamesTheDatabaseAndTheCatalogAsTheReadmeShows(QuarkusMainLauncher launcher) {
        Engines.write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        LaunchResult status = inDir(launcher, "status");
        assertThat(status.exitCode()).as(status.getErrorOutput()).isZero();
        assertThat(status.getOutput().lines().toList()).startsWith(
                "Database: " + db.redactedUrl(),
                "Catalog:  " + dir + " (1 migration)");
    }

    @Test
    void statusExitCodeIsOneForChangedFailedOrUnknownMigrations(QuarkusMainLauncher launcher) throws Exception {
        Engines.write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        Engines.write(dir, "002_pets.sql", "CREATE TABLE pets (id int);\n");
        assertThat(inDir(launcher, "status", "--exit-code").exitCode()).isEqualTo(ExitCodes.PENDING);
        assertThat(inDir(launcher, "apply-all").exitCode()).isZero();
        assertThat(inDir(launcher, "status", "--exit-code").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(inDir(launcher, "status").exitCode()).as("without --exit-code").isEqualTo(ExitCodes.OK);

        Files.writeString(dir.resolve("001_people.sql"), "CREATE TABLE people (id bigint);\n");
        LaunchResult changed = inDir(launcher, "status", "--exit-code");
        assertThat(changed.getOutput()).contains("Changed:  1");
        assertThat(changed.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        Files.writeString(dir.resolve("001_people.sql"), "CREATE TABLE people (id int);\n");

        db.query("UPDATE schema_migrations SET success = false WHERE migration_number = 2");
        assertThat(inDir(launcher, "status", "--exit-code").exitCode()).as("failed").isEqualTo(ExitCodes.MIGRATION_FAILED);
        db.query("UPDATE schema_migrations SET success = true WHERE migration_number = 2");

        Engines.write(dir, "003_toys.sql", "CREATE TABLE toys (id int);\n");
        assertThat(inDir(launcher, "status", "--exit-code").exitCode()).isEqualTo(ExitCodes.PENDING);
        assertThat(inDir(launcher, "apply-all").exitCode()).isZero();
        Files.delete(dir.resolve("003_toys.sql"));
        LaunchResult unknown = inDir(launcher, "status", "--exit-code", "--json");
        assertThat(unknown.exitCode()).as("unknown").isEqualTo(ExitCodes.MIGRATION_FAILED);
    }

    @Test
    void aMisspeltErrorOnRuleIsAUsageErrorNamingTheKnownRules(QuarkusMainLauncher launcher) {
        Engines.write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        LaunchResult result = inDir(launcher, "apply-all", "--error-on", "drop-tabel");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput().strip().lines()
                .filter(l -> !l.contains(dev.strata.db.ConnectionSettings.ARGV_WARNING)).count())
                .as(result.getErrorOutput()).isEqualTo(1);
        assertThat(result.getErrorOutput()).contains("unknown rule drop-tabel in --error-on")
                .contains("drop-table").contains("index-without-concurrently");
        assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).isNull();

        LaunchResult scan = launcher.launch("scan", "--error-on", "drop-table,drop-tabel", dir.toString());
        assertThat(scan.exitCode()).as(scan.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(scan.getErrorOutput()).contains("unknown rule drop-tabel");

        Engines.write(dir, "002_drop_old.sql", "-- Dependencies: 1\nDROP TABLE IF EXISTS old_people;\n");
        LaunchResult known = inDir(launcher, "apply-all", "--error-on", "drop-table");
        assertThat(known.exitCode()).as("a known rule still promotes").isEqualTo(ExitCodes.SAFETY_VIOLATION);
    }

    @Test
    void hintsForSqlOnlyFoldersSpeakOfTheHeader(QuarkusMainLauncher launcher) {
        Engines.write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        Engines.write(dir, "002_index.sql", "CREATE INDEX CONCURRENTLY people_id ON people (id);\n");
        Engines.write(dir, "003_empty.sql", "TRUNCATE people;\n");
        for (LaunchResult result : new LaunchResult[] {inDir(launcher, "apply-all"),
                launcher.launch("scan", dir.toString())}) {
            String printed = result.getOutput() + result.getErrorOutput(); // scan: stdout, apply-all: stderr
            assertThat(result.exitCode()).as(printed).isEqualTo(ExitCodes.SAFETY_VIOLATION);
            assertThat(printed).contains("-- Transactional: false")
                    .contains("-- Allow: truncate <reason>")
                    .doesNotContain("transactional() ==").doesNotContain("in the migration class");
        }
    }
}
