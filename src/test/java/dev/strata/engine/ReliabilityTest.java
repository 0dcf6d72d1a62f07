package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConnectionPool;
import dev.strata.history.MigrationLock;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The fault-injection suite on a real PostgreSQL: concurrent runners, a killed backend, lock
 * contention, a non-transactional migration failing half-way, and adoption of the old table.
 */
@Tag("db")
class ReliabilityTest {

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("reliability");
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!expected.equals(db.value(sql))) {
            assertThat(System.nanoTime()).as("waiting for: " + sql).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void fourConcurrentRunnersApplyTheBundledSetExactlyOnce() throws Exception {
        Catalog catalog = Engines.bundledCatalog();
        List<ConnectionPool> databases = new ArrayList<>();
        List<CompletableFuture<ApplyResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ConnectionPool d = Engines.database(db.url());
            databases.add(d);
            runs.add(Engines.migrator(catalog, d).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                    .subscribeAsCompletionStage());
        }
        List<Integer> applied = new ArrayList<>();
        for (CompletableFuture<ApplyResult> run : runs) {
            applied.add(run.get(60, TimeUnit.SECONDS).applied().size());
        }
        databases.forEach(ConnectionPool::close);

        assertThat(applied).containsExactlyInAnyOrder(8, 0, 0, 0);
        assertThat(db.query("SELECT migration_number::text FROM schema_migrations ORDER BY id"))
                .containsExactly("1", "7", "10", "12", "13", "14", "15", "16");
        assertThat(Engines.migrator(catalog, database).status().await().indefinitely().count(MigrationState.PENDING)).isZero();
    }

    @Test
    void lockIsVisibleInPgLocksAndAKilledBackendLeavesNothingBehind() throws Exception {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        write(dir, "002_slow.sql", "-- Dependencies: 1\nCREATE TABLE slow_marker (id int);\nSELECT pg_sleep(30);\n");
        CompletableFuture<ApplyResult> run = migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .subscribeAsCompletionStage();
        waitFor("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'strata' AND state = 'active' "
                + "AND query LIKE '%pg_sleep(30)%'", "1");

        String holder = db.value("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                + "WHERE l.locktype = 'advisory' AND a.datname = current_database() AND l.granted AND l.classid = " + (MigrationLock.KEY >>> 32)
                + " AND l.objid = " + (MigrationLock.KEY & 0xFFFFFFFFL) + " AND l.objsubid = 1");
        assertThat(holder).as("the migration lock is held by a strata session").isEqualTo("strata");
        // The lock sits on the session running the migration, so it lives exactly as long as it.
        assertThat(db.value("SELECT a.state FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                + "WHERE l.locktype = 'advisory' AND a.datname = current_database() AND l.objid = " + (MigrationLock.KEY & 0xFFFFFFFFL))).isEqualTo("active");

        db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'strata' "
                + "AND query LIKE '%pg_sleep(30)%'");

        Throwable error = catchThrowableOfType(java.util.concurrent.ExecutionException.class,
                () -> run.get(30, TimeUnit.SECONDS)).getCause();
        assertThat(error).isInstanceOf(SessionLostException.class);
        assertThat(error.getMessage()).contains("lost during migration 002_slow")
                .contains("the server rolled back migration 002_slow");
        assertThat(db.value("SELECT to_regclass('slow_marker')::text")).isNull();
        assertThat(db.query("SELECT migration_name FROM schema_migrations")).containsExactly("001_people");
        waitFor("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = "
                + "(SELECT oid FROM pg_database WHERE datname = current_database())", "0");

        write(dir, "002_slow.sql", "-- Dependencies: 1\nCREATE TABLE slow_marker (id int);\nSELECT pg_sleep(0.1);\n");
        assertThat(migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely().applied())
                .extracting(s -> s.migration().name()).containsExactly("002_slow");
    }

    @Test
    void tableLockedByAnotherSessionIsRetriedUntilReleased() throws Exception {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
        write(dir, "002_alter.sql", "ALTER TABLE people ADD COLUMN name text;\n");
        ConnectionPool other = Engines.database(db.url());
        SqlConnection blocker = other.connect().await().indefinitely();
        blocker.query("BEGIN; LOCK TABLE people IN ACCESS EXCLUSIVE MODE").execute().await().indefinitely();
        // A thread of this test's own, not CompletableFuture.delayedExecutor: that one's timer thread
        // is shared by the whole test JVM and keeps the context class loader of whichever (Quarkus)
        // test used it first, so the Uni created there failed in Mutiny's context propagation and
        // the blocker was never released.
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            blocker.query("ROLLBACK").execute().await().indefinitely();
        }, "release-table-lock");
        release.setContextClassLoader(ReliabilityTest.class.getClassLoader());
        release.start();

        List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
        ApplyResult result = migrator().applyAll(ApplyOptions.defaults().withLockTimeout(200, 5), new ProgressListener() {
            @Override
            public void note(String message) {
                notes.add(message);
            }
        }).await().atMost(Duration.ofSeconds(30));
        other.close();

        assertThat(result.applied()).hasSize(1);
        assertThat(notes).anySatisfy(n -> assertThat(n).contains("002_alter.sql").contains("lock timeout").contains("retry 1 of 5"));
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'name'"))
                .isEqualTo("1");
    }

    @Test
    void tableLockNeverReleasedFailsClearlyAfterTheRetries() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
        write(dir, "002_alter.sql", "ALTER TABLE people ADD COLUMN name text;\n");
        ConnectionPool other = Engines.database(db.url());
        SqlConnection blocker = other.connect().await().indefinitely();
        try {
            blocker.query("BEGIN; LOCK TABLE people IN ACCESS SHARE MODE").execute().await().indefinitely();
            MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () ->
                    migrator().applyAll(ApplyOptions.defaults().withLockTimeout(150, 1), ProgressListener.NONE)
                            .await().atMost(Duration.ofSeconds(30)));
            assertThat(e.failure().sqlState()).isEqualTo("55P03");
            assertThat(e.failure().message()).contains("lock timeout");
            assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("1");
        } finally {
            other.close();
        }
    }

    @Test
    void migrationLockTimeoutNamesTheHolder() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        ConnectionPool other = Engines.database(db.url());
        SqlConnection holder = other.connect().await().indefinitely();
        try {
            holder.query("SELECT pg_advisory_lock(" + MigrationLock.KEY + ")").execute().await().indefinitely();
            String pid = holder.query("SELECT pg_backend_pid()").execute().await().indefinitely()
                    .iterator().next().getValue(0).toString();
            List<String> notes = new ArrayList<>();
            assertThatThrownBy(() -> migrator().applyAll(ApplyOptions.defaults().withLockWait(Duration.ofMillis(700)),
                    new ProgressListener() {
                        @Override
                        public void note(String message) {
                            notes.add(message);
                        }
                    }).await().indefinitely())
                    .isInstanceOf(MigrationLock.LockTimeoutException.class)
                    .hasMessageContaining("pid " + pid).hasMessageContaining("700 ms");
            assertThat(notes).first().asString().contains("waiting for the migration lock, held by pid " + pid);
            assertThat(db.value("SELECT to_regclass('people')::text")).isNull();
        } finally {
            other.close();
        }
    }

    @Test
    void nonTransactionalMigrationFailingHalfWayIsRefusedThenRepaired() {
        write(dir, "001_t.sql", "CREATE TABLE t (id int, email text);\n");
        write(dir, "002_indexes.sql", "-- Transactional: false\n-- Dependencies: 1\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx ON t (id);\n"
                + "CREATE INDEX CONCURRENTLY IF NOT EXISTS t_email_idx ON t (emial);\n");
        write(dir, "002_indexes.verify.sql", "SELECT count(*) = 2 FROM pg_indexes WHERE tablename = 't'\n");

        MigrationFailedException first = catchThrowableOfType(MigrationFailedException.class, () ->
                migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely());
        assertThat(first.failure().line()).isEqualTo(4);
        assertThat(db.value("SELECT error FROM schema_migrations WHERE migration_number = 2"))
                .startsWith("statement 2 of 2 failed").contains("emial");
        assertThat(db.value("SELECT to_regclass('t_id_idx')::text")).as("the first statement stays done").isEqualTo("t_id_idx");

        assertThatThrownBy(() -> migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely())
                .isInstanceOf(HistoryConflictException.class).hasMessageContaining("strata repair 2");

        Repair repair = new Repair(migrator());
        Repair.RepairResult notYet = repair.repair(2, false, Duration.ofSeconds(5), ProgressListener.NONE)
                .await().indefinitely();
        assertThat(notYet.repaired()).isFalse();
        assertThat(notYet.message()).contains("statement 2 of 2 failed again").contains("strata repair 2 --retry");

        db.query("CREATE INDEX t_email_idx ON t (email)");
        Repair.RepairResult repaired = repair.repair(2, false, Duration.ofSeconds(5), ProgressListener.NONE)
                .await().indefinitely();
        assertThat(repaired.repaired()).isTrue();
        assertThat(db.value("SELECT kind || ' ' || success FROM schema_migrations WHERE migration_number = 2"))
                .isEqualTo("repaired true");
        assertThat(new Validation(migrator()).validate().await().indefinitely().ok()).isTrue();
    }

    @Test
    void repairWithRetryLetsApplyAllRunTheMigrationAgain() {
        write(dir, "001_t.sql", "-- Transactional: false\nCREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_idx ON t (nope);\n");
        catchThrowableOfType(MigrationFailedException.class, () ->
                migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely());
        db.query("DROP TABLE t");
        write(dir, "001_t.sql", "-- Transactional: false\nCREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_idx ON t (id);\n");
        // The edited file no longer matches the failed row's checksum: repair --retry clears the row.
        assertThat(new Repair(migrator()).repair(1, true, Duration.ofSeconds(5), ProgressListener.NONE)
                .await().indefinitely().repaired()).isTrue();
        assertThat(migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely().applied())
                .hasSize(1);
    }

    @Test
    void validateFindsDriftAndAVerifyThatNoLongerPasses() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        write(dir, "001_people.verify.sql", "SELECT to_regclass('people') IS NOT NULL\n");
        write(dir, "002_pets.sql", "CREATE TABLE pets (id int);\n");
        migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
        assertThat(new Validation(migrator()).validate().await().indefinitely().ok()).isTrue();

        db.query("DROP TABLE people");
        write(dir, "002_pets.sql", "CREATE TABLE pets (id bigint);\n");
        Validation.ValidationReport report = new Validation(migrator()).validate().await().indefinitely();

        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("001_people.sql: verify failed"));
        assertThat(report.problems()).anySatisfy(p -> assertThat(p).contains("002_pets.sql: changed after it was applied"));
    }

    @Test
    void baselineAdoptsTheOldSystemsTableInPlace() {
        db.query("CREATE TABLE schema_migrations (id SERIAL PRIMARY KEY, migration_name VARCHAR(255) UNIQUE NOT NULL, "
                + "migration_number INTEGER NOT NULL, executed_at TIMESTAMPTZ DEFAULT now(), checksum VARCHAR(64) NOT NULL, "
                + "description TEXT, execution_time_ms INTEGER)");
        Catalog catalog = Engines.bundledCatalog();
        for (CatalogMigration m : catalog.migrations()) {
            db.query(m.sql());
            if (m.number() <= 13) {
                db.query("INSERT INTO schema_migrations (migration_name, migration_number, checksum, description, "
                        + "execution_time_ms) VALUES ('" + m.name() + ".py', " + m.number() + ", md5('" + m.name()
                        + "'), 'python era', 12)");
            }
        }
        Migrator migrator = Engines.migrator(catalog, database);
        StatusReport before = migrator.status().await().indefinitely();
        assertThat(before.count(MigrationState.CHANGED)).as("old checksums differ, read without altering the table").isEqualTo(5);
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'schema_migrations'"))
                .isEqualTo("7");

        Baseline.BaselineResult result = new Baseline(migrator).baseline(16, false, Duration.ofSeconds(5), ProgressListener.NONE).await().indefinitely();

        assertThat(result.adopted()).hasSize(5);
        assertThat(result.inserted()).containsExactly("014_knowledge_graph_tables", "015_add_drive_columns",
                "016_add_summary_to_parent_docs");
        assertThat(db.value("SELECT description FROM schema_migrations WHERE migration_number = 7")).isEqualTo("python era");
        StatusReport after = migrator.status().await().indefinitely();
        assertThat(after.appliedCount()).isEqualTo(8);
        assertThat(after.count(MigrationState.PENDING) + after.count(MigrationState.CHANGED)).isZero();
        assertThat(migrator.applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely().applied()).isEmpty();
    }

    @Test
    void baselineRefusesADatabaseWithoutTheSchema() {
        Migrator migrator = Engines.migrator(Engines.bundledCatalog(), database);
        assertThatThrownBy(() -> new Baseline(migrator).baseline(7, false, Duration.ofSeconds(5), ProgressListener.NONE)
                .await().indefinitely())
                .isInstanceOf(HistoryConflictException.class)
                .hasMessageContaining("001_fix_missing_tables.sql: verify failed")
                .hasMessageContaining("baseline refused");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }
}
