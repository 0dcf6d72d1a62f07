package dev.strata.cli;

import org.junit.jupiter.api.Tag;
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
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apply-all --dry-run} and {@code apply N --dry-run} decide exactly as the real run does:
 * the same refusal on stderr and the same exit code when the history disagrees with the files,
 * the lock holder reported, and nothing changed (not even the history table created).
 */
@Tag("cli")
@QuarkusMainTest
class DryRunTest {

    TestDatabase db;
    @TempDir
    Path dir;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("dryrun");
        Engines.write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        Engines.write(dir, "002_pets.sql", "-- Dependencies: 1\nCREATE TABLE pets (id int);\n");
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private LaunchResult run(QuarkusMainLauncher launcher, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--location";
        all[args.length + 1] = dir.toString();
        all[args.length + 2] = "--url";
        all[args.length + 3] = db.url();
        return launcher.launch(all);
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }

    /** The dry run exits as the real run does and prints the same refusal, changing nothing. */
    private void assertDryRunRefusesLikeTheRealRun(QuarkusMainLauncher launcher, String problem, String... command) {
        String history = String.join(";", db.query("SELECT migration_name || ':' || checksum || ':' || success "
                + "FROM schema_migrations ORDER BY id"));
        String[] dry = java.util.Arrays.copyOf(command, command.length + 1);
        dry[command.length] = "--dry-run";
        LaunchResult dryRun = run(launcher, dry);
        assertThat(String.join(";", db.query("SELECT migration_name || ':' || checksum || ':' || success "
                + "FROM schema_migrations ORDER BY id"))).as("the dry run changed nothing").isEqualTo(history);
        LaunchResult real = run(launcher, command);
        assertThat(real.exitCode()).as(real.getErrorOutput()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(real.getErrorOutput()).contains(problem);
        assertThat(dryRun.exitCode()).as(dryRun.getOutput() + dryRun.getErrorOutput()).isEqualTo(real.exitCode());
        assertThat(dryRun.getErrorOutput()).isEqualTo(real.getErrorOutput());
        assertThat(dryRun.getOutput()).doesNotContain("up to date").doesNotContain("would apply");
    }

    @Test
    void anEditedAppliedFileIsRefusedByTheDryRunToo(QuarkusMainLauncher launcher) throws Exception {
        assertThat(run(launcher, "apply", "1").exitCode()).isZero();
        Files.writeString(dir.resolve("001_people.sql"), "CREATE TABLE people (id bigint);\n");
        assertDryRunRefusesLikeTheRealRun(launcher, "001_people.sql: changed after it was applied", "apply-all");
        assertDryRunRefusesLikeTheRealRun(launcher, "001_people.sql: changed after it was applied", "apply", "2");
    }

    @Test
    void aRemovedAppliedFileIsRefusedByTheDryRunToo(QuarkusMainLauncher launcher) throws Exception {
        Engines.write(dir, "003_toys.sql", "CREATE TABLE toys (id int);\n");
        assertThat(run(launcher, "apply-all").exitCode()).isZero();
        Files.delete(dir.resolve("003_toys.sql"));
        assertDryRunRefusesLikeTheRealRun(launcher, "database records migration 003_toys", "apply-all");
    }

    @Test
    void aFailedRowIsRefusedByTheDryRunToo(QuarkusMainLauncher launcher) {
        assertThat(run(launcher, "apply-all").exitCode()).isZero();
        db.query("UPDATE schema_migrations SET success = false, error = 'statement 1 of 1 failed' "
                + "WHERE migration_number = 2");
        assertDryRunRefusesLikeTheRealRun(launcher, "002_pets.sql: failed part-way", "apply-all");
    }

    @Test
    void aMissingDependencyIsRefusedByApplyNDryRunWithTheUsageCode(QuarkusMainLauncher launcher) {
        LaunchResult dryRun = run(launcher, "apply", "2", "--dry-run");
        LaunchResult real = run(launcher, "apply", "2");
        assertThat(real.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(dryRun.exitCode()).as(dryRun.getOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(dryRun.getErrorOutput()).isEqualTo(real.getErrorOutput())
                .contains("002_pets depends on migrations that are not applied yet: 001_people");
    }

    @Test
    void aDryRunOnAnEmptyDatabaseCreatesNothingNotEvenTheHistoryTable(QuarkusMainLauncher launcher) {
        for (String[] command : new String[][] {{"apply-all", "--dry-run"}, {"apply", "2", "--with-dependencies",
                "--dry-run"}}) {
            LaunchResult result = run(launcher, command);
            assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
            assertThat(result.getOutput()).contains("would apply 2 migrations");
            assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).isNull();
            assertThat(db.value("SELECT to_regclass('people')::text")).isNull();
        }
    }

    @Test
    void aHeldLockIsReportedButNotWaitedFor(QuarkusMainLauncher launcher) {
        ConnectionPool other = Engines.database(db.url());
        try {
            SqlConnection holder = other.connect().await().indefinitely();
            holder.query("SELECT pg_advisory_lock(" + MigrationLock.KEY + ")").execute().await().indefinitely();
            String pid = holder.query("SELECT pg_backend_pid()").execute().await().indefinitely()
                    .iterator().next().getValue(0).toString();
            LaunchResult result = run(launcher, "apply-all", "--dry-run", "--lock-timeout", "60000");
            assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
            assertThat(result.getErrorOutput()).contains("the migration lock is held by pid " + pid)
                    .contains("a real run would wait up to 60000 ms for it");
            assertThat(lastLine(result.getOutput())).isEqualTo("Dry run: nothing was changed.");
        } finally {
            other.close();
        }
    }
}
