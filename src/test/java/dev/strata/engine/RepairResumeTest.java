package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** {@code repair N} finishes what a half-done non-transactional migration did not run, or says what did not run. */
@Tag("db")
class RepairResumeTest {

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("repair_resume");
        database = Engines.database(db.url());
        write(dir, "001_t.sql", "CREATE TABLE IF NOT EXISTS t (id int, email text);\n");
        // no verify step: nothing but the recorded progress says what ran
        write(dir, "002_indexes.sql", "-- Transactional: false\n-- Dependencies: 1\n"
                + "CREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n"
                + "CREATE INDEX CONCURRENTLY t_email_idx ON t (email);\n");
        // the cause of the second statement's failure: the name is taken
        db.query("CREATE TABLE t_email_idx (x int)");
    }

    @AfterEach
    void tearDown() {
        database.close();
        db.close();
    }

    private Migrator migrator() {
        return Engines.migrator(CatalogLoader.fromDirectory(dir), database);
    }

    private Repair.RepairResult repair(Repair.RepairMode mode) {
        return new Repair(migrator()).repair(2, mode, Duration.ofSeconds(5), ProgressListener.NONE)
                .await().indefinitely();
    }

    private void failHalfWay() {
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () ->
                migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely());
        assertThat(e.failure().sqlState()).isEqualTo("42P07");
        assertThat(db.value("SELECT statements_done FROM schema_migrations WHERE migration_number = 2"))
                .as("progress: the first statement completed").isEqualTo("1");
    }

    @Test
    void repairRunsTheStatementThatDidNotRunThenMarksApplied() {
        failHalfWay();

        Repair.RepairResult stillBroken = repair(Repair.RepairMode.RESUME);
        assertThat(stillBroken.repaired()).isFalse();
        assertThat(stillBroken.message()).contains("statement 2 of 2 failed again at").contains("002_indexes.sql:4:1")
                .contains("statements 2 did not run").contains("--mark-applied").contains("--retry");
        assertThat(db.value("SELECT success FROM schema_migrations WHERE migration_number = 2")).isEqualTo("false");

        db.query("DROP TABLE t_email_idx");
        Repair.RepairResult repaired = repair(Repair.RepairMode.RESUME);

        assertThat(repaired.repaired()).isTrue();
        assertThat(repaired.message()).contains("ran statements 2 of 2").contains("no verify step");
        assertThat(db.value("SELECT indexrelid::regclass::text FROM pg_index WHERE indexrelid = "
                + "to_regclass('t_email_idx') AND indisvalid")).as("the index the failed run never built").isEqualTo("t_email_idx");
        assertThat(db.value("SELECT kind || ' ' || success || ' ' || statements_done FROM schema_migrations "
                + "WHERE migration_number = 2")).isEqualTo("repaired true 2");
        assertThat(migrator().applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely().applied())
                .isEmpty();
    }

    @Test
    void markAppliedSaysNothingWasChecked() {
        failHalfWay();

        Repair.RepairResult marked = repair(Repair.RepairMode.MARK_APPLIED);

        assertThat(marked.repaired()).isTrue();
        assertThat(marked.message()).contains("NOTHING WAS CHECKED").contains("statements 2 of 2 never ran");
        assertThat(db.value("SELECT to_regclass('t_email_idx')::text")).as("nothing was run").isEqualTo("t_email_idx");
        assertThat(db.value("SELECT relkind FROM pg_class WHERE relname = 't_email_idx'")).isEqualTo("r");
        assertThat(db.value("SELECT error FROM schema_migrations WHERE migration_number = 2"))
                .startsWith("marked applied without checks after:");
    }
}
