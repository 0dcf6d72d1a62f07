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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection dropped in the middle of a run is reported in Strata's own words: every line on
 * stderr starts with {@code strata:}, with no stack trace or Vert.x/Netty/Quarkus log line,
 * unless {@code --verbose} asks for the trace.
 */
@Tag("cli")
@QuarkusMainTest
class ConnectionDropOutputTest {

    private static final String LOCK_ROW = "FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = "
            + (MigrationLock.KEY >>> 32) + " AND l.objid = " + (MigrationLock.KEY & 0xFFFFFFFFL) + " AND l.objsubid = 1"
            // pg_locks is cluster-wide: other tests' databases hold the same lock key
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("dropout");
        write(dir, "001_slow.sql", "CREATE TABLE slow_marker (id int);\nSELECT pg_sleep(30);\n");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private void waitForMigration() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!"1".equals(db.value("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                + "AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()"))) {
            assertThat(System.nanoTime()).as("waiting for the migration to run").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private LaunchResult terminatedMidRun(QuarkusMainLauncher launcher, String... args) throws Exception {
        CompletableFuture<LaunchResult> run = CompletableFuture.supplyAsync(() -> launcher.launch(args));
        waitForMigration();
        db.query("SELECT pg_terminate_backend(l.pid) " + LOCK_ROW);
        return run.get(60, TimeUnit.SECONDS);
    }

    private static List<String> foreignLines(String stderr) {
        return stderr.lines().filter(line -> !line.isBlank() && !line.startsWith("strata:")).toList();
    }

    @Test
    void aTerminatedSessionIsOneStrataLineWithoutATrace(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = terminatedMidRun(launcher, "apply-all", "--location", dir.toString(), "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(result.getErrorOutput()).contains("the connection running the migrations was lost during migration 001_slow")
                .contains("the server rolled back migration 001_slow").doesNotContain("\tat ").doesNotContain("PgException");
        assertThat(foreignLines(result.getErrorOutput())).as("lines on stderr that are not Strata's").isEmpty();
    }

    @Test
    void socketsClosedByTheNetworkAreOneStrataLineWithoutATrace(QuarkusMainLauncher launcher) throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(URI.create(db.url()).getPort())) {
            URI direct = URI.create(db.url());
            String url = direct.getScheme() + "://" + direct.getUserInfo() + "@127.0.0.1:" + proxy.port() + direct.getPath();
            CompletableFuture<LaunchResult> run = CompletableFuture.supplyAsync(() ->
                    launcher.launch("apply-all", "--location", dir.toString(), "--url", url));
            waitForMigration();
            proxy.blackhole();
            proxy.dropPartitioned();
            LaunchResult result = run.get(60, TimeUnit.SECONDS);
            assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
            assertThat(result.getErrorOutput()).contains("during migration 001_slow").doesNotContain("\tat ");
            assertThat(foreignLines(result.getErrorOutput())).as("lines on stderr that are not Strata's").isEmpty();
        }
    }

    @Test
    void verboseAddsTheStackTrace(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = terminatedMidRun(launcher, "--verbose", "apply-all", "--location", dir.toString(),
                "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(result.getErrorOutput()).contains("strata: the connection running the migrations was lost")
                .contains("dev.strata.engine.SessionLostException").contains("\tat ");
    }
}
