package dev.strata.engine;

import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.history.MigrationLock;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.vertx.mutiny.sqlclient.SqlConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many connections a run opens, counted by the server: {@code pg_stat_database.sessions} of
 * the test's database (PostgreSQL 14+: sessions established), read from another database so the
 * observer's own connections are not counted.
 */
@Tag("db")
class SessionConnectionsTest {

    @TempDir
    Path dir;
    TestDatabase db;
    TestDatabase observer;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("conns");
        observer = TestDatabase.create("conns_observer");
        write(dir, "001_people.sql", "CREATE TABLE people (id int PRIMARY KEY);\n");
        write(dir, "002_notes.sql", "-- Dependencies: 1\nCREATE TABLE notes (id int PRIMARY KEY);\n");
    }

    @AfterEach
    void tearDown() {
        db.close();
        observer.close();
    }

    private long sessions() {
        return Long.parseLong(observer.value("SELECT sessions FROM pg_stat_database WHERE datname = '" + db.name() + "'"));
    }

    /** The sessions counter once it has reached at least {@code atLeast} and stayed put for a second. */
    private long settledSessions(long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        long now = sessions();
        while (now < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = sessions();
        }
        long previous;
        do {
            previous = now;
            Thread.sleep(1000);
            now = sessions();
        } while (now != previous && System.nanoTime() < deadline);
        return now;
    }

    private ApplyResult applyAll(Duration lockWait) {
        try (ConnectionPool database = Engines.database(db.url())) {
            return Engines.migrator(CatalogLoader.fromDirectory(dir), database)
                    .applyAll(ApplyOptions.defaults().withLockWait(lockWait), ProgressListener.NONE).await().indefinitely();
        }
    }

    @Test
    void aMigratingRunAndANoOpRunEachOpenOneConnection() throws Exception {
        long before = settledSessions(0);

        ApplyResult first = applyAll(Duration.ofSeconds(5));

        assertThat(first.applied()).hasSize(2);
        long afterFirst = settledSessions(before + 1);
        assertThat(afterFirst - before).as("connections opened by a migrating run on a direct connection").isEqualTo(1);

        ApplyResult again = applyAll(Duration.ofSeconds(5));

        assertThat(again.applied()).isEmpty();
        assertThat(settledSessions(afterFirst + 1) - afterFirst).as("connections opened by a no-op run").isEqualTo(1);
    }

    @Test
    void aNoOpRunDoesNotWaitForTheMigrationLockButPendingWorkDoes() {
        applyAll(Duration.ofSeconds(5));
        try (ConnectionPool other = Engines.database(db.url())) {
            SqlConnection holder = other.connect().await().indefinitely();
            holder.query("SELECT pg_advisory_lock(" + MigrationLock.KEY + ")").execute().await().indefinitely();

            long started = System.nanoTime();
            ApplyResult noOp = applyAll(Duration.ofSeconds(20));
            long ms = (System.nanoTime() - started) / 1_000_000;

            assertThat(noOp.applied()).isEmpty();
            assertThat(ms).as("a no-op decided from the history alone, never waiting for the held lock").isLessThan(15_000);

            write(dir, "003_tags.sql", "CREATE TABLE tags (id int PRIMARY KEY);\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> applyAll(Duration.ofMillis(600)))
                    .isInstanceOf(MigrationLock.LockTimeoutException.class);
            assertThat(db.value("SELECT to_regclass('tags')::text")).isNull();
        }
    }
}
