package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.history.MigrationLock;
import dev.strata.report.ExitCodes;
import dev.strata.testing.BlackholeProxy;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A network partition in the middle of a migration, made by a proxy that stops forwarding while
 * keeping its sockets open: the run must end by itself within a bound, say the server stopped
 * answering, and leave the history so that a second run applies the migration exactly once.
 * Every wait here is bounded, so a run that hangs fails the test instead of hanging it.
 */
@Tag("cli")
@QuarkusMainTest
class NetworkPartitionTest {

    private static final String LOCK_ROW = "FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = "
            + (MigrationLock.KEY >>> 32) + " AND l.objid = " + (MigrationLock.KEY & 0xFFFFFFFFL) + " AND l.objsubid = 1"
            // pg_locks is cluster-wide: other tests' databases hold the same lock key
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    @TempDir
    Path dir;
    TestDatabase db;
    BlackholeProxy proxy;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create("partition");
        proxy = new BlackholeProxy(URI.create(db.url()).getPort());
    }

    @AfterEach
    void tearDown() throws Exception {
        proxy.close();
        db.close();
    }

    private String proxiedUrl() {
        URI direct = URI.create(db.url());
        return direct.getScheme() + "://" + direct.getUserInfo() + "@127.0.0.1:" + proxy.port() + direct.getPath();
    }

    private void waitFor(String sql, String expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!expected.equals(db.value(sql))) {
            assertThat(System.nanoTime()).as("waiting for: " + sql).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aRunThatHearsNothingEndsWithinTheBoundAndASecondRunAppliesTheMigrationOnce(QuarkusMainLauncher launcher)
            throws Exception {
        // sleeps only while the database says so: long in the first run, not at all in the second
        db.query("ALTER DATABASE " + db.name() + " SET strata_test.sleep = '60'");
        write(dir, "001_slow.sql", "CREATE TABLE slow_marker (id int);\n"
                + "SELECT pg_sleep(coalesce(current_setting('strata_test.sleep', true), '0')::float);\n");
        CompletableFuture<LaunchResult> run = CompletableFuture.supplyAsync(() -> launcher.launch("apply-all",
                "--location", dir.toString(), "--url", proxiedUrl(), "--unresponsive-timeout", "3000"));
        waitFor("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(coalesce%' "
                + "AND pid <> pg_backend_pid()", "1", 60);

        proxy.blackhole();
        long partitioned = System.nanoTime();
        LaunchResult first = run.get(40, TimeUnit.SECONDS);
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - partitioned);

        System.out.println("partition to end of run: " + seconds + " s");
        assertThat(seconds).as("seconds from the partition to the end of the run").isLessThan(20);
        assertThat(first.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(first.getErrorOutput()).contains("the server stopped answering during migration 001_slow")
                .contains("it was sent with its history row and COMMIT, so the server either commits all of it or")
                .contains("running again is safe")
                .doesNotContain("Fix ").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(proxy.partitionedOpen()).as("the server still holds its end: it has not noticed yet").isPositive();

        // what the server's tcp keepalive (set on the session) eventually does on a real network
        proxy.dropPartitioned();
        waitFor("SELECT count(*) " + LOCK_ROW, "0", 30);
        assertThat(db.value("SELECT to_regclass('slow_marker')::text")).as("rolled back by the server").isNull();
        assertThat(db.query("SELECT migration_name FROM schema_migrations")).isEmpty();

        db.query("ALTER DATABASE " + db.name() + " RESET strata_test.sleep");
        proxy.heal();
        LaunchResult second = CompletableFuture.supplyAsync(() -> launcher.launch("apply-all",
                "--location", dir.toString(), "--url", proxiedUrl())).get(60, TimeUnit.SECONDS);
        assertThat(second.exitCode()).as(second.getErrorOutput()).isEqualTo(0);
        assertThat(db.query("SELECT migration_name FROM schema_migrations ORDER BY id")).containsExactly("001_slow");
        assertThat(db.value("SELECT to_regclass('slow_marker')::text")).isEqualTo("slow_marker");
    }
}
