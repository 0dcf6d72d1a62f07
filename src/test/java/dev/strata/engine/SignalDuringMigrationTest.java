package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.history.MigrationLock;
import dev.strata.testing.SignalledApplyMain;
import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM in the middle of a migration (a deploy platform stopping the release command): the
 * process says in one line what happens to the running migration, exits 143, and the server rolls
 * the migration back and releases the lock.
 */
@Tag("db")
class SignalDuringMigrationTest {

    private static final String LOCK_ROW = "FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = "
            + (MigrationLock.KEY >>> 32) + " AND l.objid = " + (MigrationLock.KEY & 0xFFFFFFFFL) + " AND l.objsubid = 1"
            // pg_locks is cluster-wide: other tests' databases hold the same lock key
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("signal");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void waitFor(String sql, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!expected.equals(db.value(sql))) {
            assertThat(System.nanoTime()).as("waiting for: " + sql).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void sigtermMidMigrationSaysWhatHappensToItInOneLine() throws Exception {
        write(dir, "001_slow.sql", "CREATE TABLE slow_marker (id int);\nSELECT pg_sleep(30);\n");
        Path log = dir.resolve("run.log");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SignalledApplyMain.class.getName(), db.url(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitFor("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(30)%' "
                    + "AND pid <> pg_backend_pid()", "1");
            run.destroy(); // SIGTERM
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).as("the process ended").isTrue();
        } finally {
            run.destroyForcibly();
        }
        assertThat(run.exitValue()).isEqualTo(143);
        assertThat(Files.readString(log)).contains("strata: stopped by a signal (SIGTERM or Ctrl-C) during migration "
                + "001_slow; the server rolls back its transaction when it notices the closed connection")
                .doesNotContain("\tat ");
        waitFor("SELECT count(*) " + LOCK_ROW, "0");
        assertThat(db.value("SELECT to_regclass('slow_marker')::text")).isNull();
    }
}
