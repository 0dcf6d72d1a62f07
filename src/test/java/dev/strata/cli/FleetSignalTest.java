package dev.strata.cli;

import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM in the middle of a fleet rollout, sent to a child JVM that runs the CLI's fleet path
 * ({@link FleetSignalMain}), as a deploy platform would stop it: no target starts after the signal, the
 * running ones finish, so every tenant database is either migrated fully (both migrations, both
 * history rows) or untouched (no table, no history), the report says so, and the exit code is 1.
 */
@Tag("cli")
class FleetSignalTest {

    @TempDir
    Path dir;

    private final List<TestDatabase> databases = new ArrayList<>();

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::close);
    }

    @Test
    void sigtermMidFleetLeavesEveryTargetMigratedOrUntouchedAndSaysSo() throws Exception {
        for (int i = 0; i < 12; i++) {
            databases.add(TestDatabase.create("fleetsig"));
        }
        Path location = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(location.resolve("001_accounts.sql"),
                "CREATE TABLE accounts (id int PRIMARY KEY);\nSELECT pg_sleep(1.5);\n");
        Files.writeString(location.resolve("002_notes.sql"), "-- Dependencies: 1\nCREATE TABLE notes (id int PRIMARY KEY);\n");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < databases.size(); i++) {
            lines.add(databases.get(i).url() + " " + String.format("tenant_%02d", i + 1));
        }
        Path targets = Files.writeString(dir.resolve("targets.txt"), String.join("\n", lines) + "\n");
        Path out = dir.resolve("out.log");
        Path err = dir.resolve("err.log");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FleetSignalMain.class.getName(),
                targets.toString(), location.toString(), "3")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            // mid-run: at least one target done and others still in their slow migration
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (migrated() < 1 || sleeping() < 1) {
                assertThat(System.nanoTime()).as("the fleet got going; stderr: %s", readOr(err)).isLessThan(deadline);
                assertThat(run.isAlive()).as("the fleet is still running; stdout: %s stderr: %s", readOr(out), readOr(err)).isTrue();
                Thread.sleep(50);
            }
            run.destroy(); // SIGTERM
            assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("the process ended after the running targets").isTrue();
        } finally {
            run.destroyForcibly();
        }

        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        assertThat(run.exitValue()).as(stdout + stderr).isEqualTo(1);
        int migrated = 0;
        int untouched = 0;
        for (TestDatabase db : databases) {
            String tables = db.value("SELECT coalesce(to_regclass('accounts')::text, '-') || ' ' "
                    + "|| coalesce(to_regclass('notes')::text, '-')");
            String history = db.value("SELECT to_regclass('schema_migrations')::text") == null ? "none"
                    : db.value("SELECT string_agg(migration_name, ',' ORDER BY id) FROM schema_migrations");
            if ("accounts notes".equals(tables) && "001_accounts,002_notes".equals(history)) {
                migrated++;
            } else {
                assertThat(tables + " / " + history).as("%s is either migrated fully or untouched", db.name())
                        .isIn("- - / none", "- - / null");
                untouched++;
            }
        }
        assertThat(migrated).as("targets migrated before and during the signal").isBetween(2, 11);
        assertThat(untouched).as("targets not started after the signal").isPositive();
        assertThat(stderr).contains("strata: SIGTERM: no new target starts").doesNotContain("\tat ");
        assertThat(stdout).contains("Interrupted: no target was started after the signal")
                .contains(untouched + " target" + (untouched == 1 ? " was" : "s were") + " not started and are untouched");
        String last = stdout.strip().lines().reduce((a, b) -> b).orElse("");
        assertThat(last).isEqualTo("Fleet: 12 targets: " + migrated + " migrated, " + untouched + " not started");
        List<String> notStarted = stdout.lines().filter(l -> l.contains("not started (rollout stopped)"))
                .collect(Collectors.toList());
        assertThat(notStarted).hasSize(untouched);
    }

    private int migrated() {
        int n = 0;
        for (TestDatabase db : databases) {
            if (db.value("SELECT to_regclass('schema_migrations')::text") != null
                    && "2".equals(db.value("SELECT count(*) FROM schema_migrations"))) {
                n++;
            }
        }
        return n;
    }

    private int sleeping() {
        String names = databases.stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(","));
        return Integer.parseInt(databases.get(0).value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                + "AND query LIKE '%pg_sleep(1.5)%' AND pid <> pg_backend_pid() AND datname IN (" + names + ")"));
    }

    private static String readOr(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
