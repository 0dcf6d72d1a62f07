package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.history.MigrationLock;
import dev.strata.testing.ApplyMain;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Faults around the migration lock on a real PostgreSQL: the lock lives on the backend that runs
 * the migration, so losing that session (terminated, killed client, idle_session_timeout) can
 * never let a second run start the same migration while the first may still commit.
 */
@Tag("db")
class SessionFaultTest {

    private static final String LOCK_ROW = "FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.classid = "
            + (MigrationLock.KEY >>> 32) + " AND l.objid = " + (MigrationLock.KEY & 0xFFFFFFFFL) + " AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("sessionfault");
        database = Engines.database(db.url());
    }

    @AfterEach
    void tearDown() {
        database.close();
        db.close();
    }

    private Migrator migrator() {
        return Engines.migrator(CatalogLoader.fromDirectory(dir), database);
    }

    private void waitFor(String sql, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!expected.equals(db.value(sql))) {
            assertThat(System.nanoTime()).as("waiting for: " + sql).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private String runningPid(String marker) {
        return db.value("SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%" + marker
                + "%' AND pid <> pg_backend_pid()");
    }

    @Test
    void theLockIsHeldByTheBackendThatRunsTheMigrationAndLosingItIsReported() throws Exception {
        write(dir, "001_slow.sql", "CREATE TABLE slow_marker (id int);\nSELECT pg_sleep(30);\n");
        CompletableFuture<ApplyResult> run = migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .subscribeAsCompletionStage();
        waitFor("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(30)%' "
                + "AND pid <> pg_backend_pid()", "1");

        String migrating = runningPid("pg_sleep(30)");
        assertThat(db.value("SELECT l.pid::text " + LOCK_ROW)).as("lock holder = migrating backend").isEqualTo(migrating);

        db.query("SELECT pg_terminate_backend(l.pid) " + LOCK_ROW);

        Throwable error = catchThrowableOfType(ExecutionException.class, () -> run.get(30, TimeUnit.SECONDS)).getCause();
        assertThat(error).isInstanceOf(SessionLostException.class);
        assertThat(error.getMessage()).contains("the connection running the migrations was lost during migration 001_slow")
                .contains("the server rolled back migration 001_slow").contains("run again")
                .doesNotContain("Fix ");
        assertThat(db.value("SELECT to_regclass('slow_marker')::text")).isNull();
        waitFor("SELECT count(*) " + LOCK_ROW, "0");
    }

    @Test
    void aTerminatedLockSessionNeverEndsInSuccess() throws Exception {
        write(dir, "001_a.sql", "CREATE TABLE a (id int);\n");
        write(dir, "002_b.sql", "-- Dependencies: 1\nSELECT pg_sleep(3);\nCREATE TABLE b (id int);\n");
        CompletableFuture<ApplyResult> run = migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .subscribeAsCompletionStage();
        waitFor("SELECT count(*) " + LOCK_ROW, "1");
        waitFor("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(3)%' "
                + "AND pid <> pg_backend_pid()", "1");

        db.query("SELECT pg_terminate_backend(l.pid) " + LOCK_ROW);

        Throwable error = catchThrowableOfType(ExecutionException.class, () -> run.get(30, TimeUnit.SECONDS));
        assertThat(error).as("a run whose lock session was terminated must fail").isNotNull();
        assertThat(error.getCause()).isInstanceOf(SessionLostException.class);
        assertThat(db.query("SELECT migration_name FROM schema_migrations ORDER BY id")).containsExactly("001_a");
    }

    @Test
    void idleSessionTimeoutOfTheDatabaseCannotEndTheLockSession() throws Exception {
        db.query("ALTER DATABASE " + db.name() + " SET idle_session_timeout = '500ms'");
        db.query("ALTER DATABASE " + db.name() + " SET idle_in_transaction_session_timeout = '500ms'");
        write(dir, "001_slow.sql", "SELECT pg_sleep(2);\nCREATE TABLE slow_done (id int);\n");
        CompletableFuture<ApplyResult> run = migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .subscribeAsCompletionStage();
        waitFor("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(2)%' "
                + "AND pid <> pg_backend_pid()", "1");
        Thread.sleep(1200);
        assertThat(db.value("SELECT count(*) " + LOCK_ROW)).as("the lock outlived the database's idle_session_timeout")
                .isEqualTo("1");
        assertThat(run.get(30, TimeUnit.SECONDS).applied()).hasSize(1);
    }

    @Test
    void aSecondRunnerWaitsWhileACreateIndexConcurrentlyMigrationRunsOnTheLockSession() throws Exception {
        write(dir, "001_t.sql", "CREATE FUNCTION slow_id(i int) RETURNS int LANGUAGE sql IMMUTABLE AS "
                + "$$ SELECT i + 0 * (SELECT 1 FROM pg_sleep(0.3)) $$;\n"
                + "CREATE TABLE t (id int);\nINSERT INTO t SELECT generate_series(1, 8);\n");
        write(dir, "002_idx.sql", "-- Dependencies: 1\n-- Transactional: false\n"
                + "CREATE INDEX CONCURRENTLY t_slow ON t (slow_id(id));\n");
        List<String> secondNotes = new CopyOnWriteArrayList<>();
        CompletableFuture<ApplyResult> first = migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .subscribeAsCompletionStage();
        waitFor("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE 'CREATE INDEX CONCURRENTLY%' "
                + "AND pid <> pg_backend_pid()", "1");
        try (ConnectionPool other = Engines.database(db.url())) {
            CompletableFuture<ApplyResult> second = Engines.migrator(CatalogLoader.fromDirectory(dir), other)
                    .applyAll(ApplyOptions.defaults().withLockWait(Duration.ofSeconds(60)), new ProgressListener() {
                        @Override
                        public void note(String message) {
                            secondNotes.add(message);
                        }
                    }).subscribeAsCompletionStage();
            assertThat(first.get(60, TimeUnit.SECONDS).applied()).extracting(s -> s.migration().name())
                    .containsExactly("001_t", "002_idx");
            assertThat(second.get(60, TimeUnit.SECONDS).applied()).isEmpty();
        }
        assertThat(secondNotes).anySatisfy(n -> assertThat(n).startsWith("waiting for the migration lock"));
        assertThat(db.value("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 't_slow'::regclass")).isEqualTo("true");
    }

    @Test
    void aKilledRunnerAndAnImmediateSecondRunNeverRunTheSameMigrationTwice() throws Exception {
        write(dir, "001_data.sql", "CREATE TABLE items (id int);\n");
        write(dir, "002_slow.sql", "-- Dependencies: 1\nINSERT INTO items VALUES (1);\nSELECT pg_sleep(4);\n"
                + "CREATE TABLE slow_done (id int);\n");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ApplyMain.class.getName(), db.url(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            waitFor("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep(4)%' "
                    + "AND pid <> pg_backend_pid()", "1");
            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } finally {
            first.destroyForcibly();
        }
        CompletableFuture<ApplyResult> second = migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .subscribeAsCompletionStage();
        int most = 0;
        while (!second.isDone()) {
            most = Math.max(most, Integer.parseInt(db.value("SELECT count(*) FROM pg_stat_activity WHERE "
                    + "datname = current_database() AND query LIKE '%pg_sleep(4)%' AND state = 'active' AND pid <> pg_backend_pid()")));
            Thread.sleep(20);
        }
        ApplyResult result = second.get();
        assertThat(most).as("backends running 002 at the same time").isEqualTo(1);
        assertThat(result.applied()).extracting(s -> s.migration().name()).containsExactly("002_slow");
        assertThat(db.value("SELECT count(*) FROM items")).isEqualTo("1");
        assertThat(db.query("SELECT migration_name FROM schema_migrations ORDER BY id"))
                .containsExactly("001_data", "002_slow");
    }
}
