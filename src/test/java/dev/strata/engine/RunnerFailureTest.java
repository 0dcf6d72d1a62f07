package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConnectionPool;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Failure paths of the runner on a real PostgreSQL, with SQL-only migration folders: a failed
 * migration leaves no trace, earlier ones stay applied, errors point into the file.
 */
@Tag("db")
class RunnerFailureTest {

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("runner");
        database = Engines.database(db.url());
    }

    @AfterEach
    void tearDown() {
        database.close();
        db.close();
    }

    private ApplyResult apply() {
        return Engines.migrator(CatalogLoader.fromDirectory(dir), database)
                .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely();
    }

    private MigrationFailure failure() {
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, this::apply);
        assertThat(e).as("the run must fail").isNotNull();
        return e.failure();
    }

    @Test
    void sqlErrorRollsBackTheMigrationAndPointsAtTheLine() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int PRIMARY KEY);\n");
        write(dir, "002_pets.sql", "-- Dependencies: 1\nCREATE TABLE pets (id int);\n\nSELECT nosuchcol\n  FROM people;\n");

        MigrationFailure f = failure();

        assertThat(f.migration().name()).isEqualTo("002_pets");
        assertThat(f.sqlState()).isEqualTo("42703");
        assertThat(f.line()).isEqualTo(4);
        assertThat(f.column()).isEqualTo(8);
        assertThat(f.location()).endsWith("002_pets.sql:4:8");
        assertThat(db.value("SELECT to_regclass('pets')::text")).as("no trace of the failed migration").isNull();
        assertThat(db.query("SELECT migration_name FROM schema_migrations")).containsExactly("001_people");
        assertThat(db.value("SELECT to_regclass('people')::text")).isEqualTo("people");
    }

    @Test
    void errorWithoutServerPositionIsLocatedByStatement() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int PRIMARY KEY);\nINSERT INTO people VALUES (1);\n"
                + "INSERT INTO people\n  VALUES (2);\n\n  INSERT INTO people VALUES (1);\n");

        MigrationFailure f = failure();

        assertThat(f.sqlState()).isEqualTo("23505");
        assertThat(f.detail()).contains("(id)=(1)");
        assertThat(f.line()).isEqualTo(6);
        assertThat(f.column()).isEqualTo(3);
        assertThat(db.value("SELECT to_regclass('people')::text")).isNull();
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void positionsCountCharactersNotBytes() {
        write(dir, "001_unicode.sql", "-- Déjà vu: ünïcödé 😀 before the error\nSELECT 'ß😀' AS x, missing_column;\n");

        MigrationFailure f = failure();

        assertThat(f.line()).isEqualTo(2);
        assertThat(f.column()).isEqualTo("SELECT 'ß😀' AS x, ".length() + 1);
    }

    @Test
    void failingVerifyRollsBackEverything() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        write(dir, "001_people.verify.sql", "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'persons')\n");

        MigrationFailure f = failure();

        assertThat(f.phase()).isEqualTo("verify");
        assertThat(f.message()).contains("001_people.verify.sql");
        assertThat(db.value("SELECT to_regclass('people')::text")).isNull();
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void verifyThatRaisesAlsoFails() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        write(dir, "001_people.verify.sql", "SELECT name FROM people WHERE false;\n");

        MigrationFailure f = failure();

        assertThat(f.phase()).isEqualTo("verify");
        assertThat(f.sqlState()).isEqualTo("42703");
        assertThat(db.value("SELECT to_regclass('people')::text")).isNull();
    }

    @Test
    void passingSqlVerifyRecordsTheMigration() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int, name text);\n");
        write(dir, "001_people.verify.sql", "SELECT id, name FROM people WHERE false;\nSELECT true;\n");

        assertThat(apply().applied()).hasSize(1);
        assertThat(db.value("SELECT migration_name FROM schema_migrations")).isEqualTo("001_people");
    }

    @Test
    void beginCommitWrapperIsAcceptedAndReported() {
        write(dir, "001_wrapped.sql", "BEGIN;\nCREATE TABLE wrapped (id int);\nCOMMIT;\n");
        write(dir, "002_broken.sql", "BEGIN;\nCREATE TABLE broken (id int);\nSELECT 1/0;\nCOMMIT;\n");

        List<String> notes = new ArrayList<>();
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () ->
                Engines.migrator(CatalogLoader.fromDirectory(dir), database).applyAll(ApplyOptions.defaults(),
                        new ProgressListener() {
                            @Override
                            public void note(String message) {
                                notes.add(message);
                            }
                        }).await().indefinitely());

        assertThat(notes).anySatisfy(n -> assertThat(n).contains("001_wrapped.sql").contains("BEGIN/COMMIT"));
        assertThat(db.value("SELECT to_regclass('wrapped')::text")).isEqualTo("wrapped");
        // Strata's transaction, not the file's, decides: the broken file's table is gone.
        assertThat(e.failure().sqlState()).isEqualTo("22012");
        assertThat(e.failure().line()).isEqualTo(3);
        assertThat(db.value("SELECT to_regclass('broken')::text")).isNull();
    }

    @Test
    void changedFileIsRefusedWithBothChecksums() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        apply();
        String recorded = db.value("SELECT checksum FROM schema_migrations");
        write(dir, "001_people.sql", "CREATE TABLE people (id bigint);\n");
        write(dir, "002_more.sql", "CREATE TABLE more (id int);\n");
        String now = CatalogLoader.fromDirectory(dir).find(1).orElseThrow().checksum();

        assertThatThrownBy(this::apply).isInstanceOf(HistoryConflictException.class)
                .hasMessageContaining("001_people.sql").hasMessageContaining(recorded).hasMessageContaining(now);
        assertThat(db.value("SELECT to_regclass('more')::text")).as("nothing runs after a refusal").isNull();
    }

    @Test
    void unknownAppliedMigrationIsRefused() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        write(dir, "002_pets.sql", "CREATE TABLE pets (id int);\n");
        apply();
        dir.resolve("002_pets.sql").toFile().delete();
        write(dir, "003_more.sql", "CREATE TABLE more (id int);\n");

        assertThatThrownBy(this::apply).isInstanceOf(HistoryConflictException.class)
                .hasMessageContaining("002_pets").hasMessageContaining("not in the catalog");
    }

    @Test
    void nonTransactionalMigrationRunsStatementsOutsideATransaction() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");
        write(dir, "002_index.sql", "-- Transactional: false\n-- Dependencies: 1\n"
                + "CREATE INDEX CONCURRENTLY people_id_idx ON people (id);\n");

        assertThat(apply().applied()).hasSize(2);
        assertThat(db.value("SELECT indisvalid::text FROM pg_index WHERE indexrelid = 'people_id_idx'::regclass"))
                .isEqualTo("true");
        assertThat(db.value("SELECT success::text FROM schema_migrations WHERE migration_number = 2")).isEqualTo("true");
    }

    @Test
    void failedNonTransactionalMigrationLeavesAFailedRowThatBlocksTheNextRun() {
        write(dir, "001_index.sql", "-- Transactional: false\nCREATE TABLE t (id int);\n"
                + "CREATE INDEX CONCURRENTLY t_idx ON t (nosuch);\n");

        MigrationFailure f = failure();
        assertThat(f.line()).isEqualTo(3);
        assertThat(db.value("SELECT success::text || ' ' || error FROM schema_migrations"))
                .startsWith("false statement 2 of 2 failed").contains("42703");

        assertThatThrownBy(this::apply).isInstanceOf(HistoryConflictException.class)
                .hasMessageContaining("strata repair 1");
    }

    @Test
    void dryRunChangesNothing() {
        write(dir, "001_people.sql", "CREATE TABLE people (id int);\n");

        ApplyResult plan = Engines.migrator(CatalogLoader.fromDirectory(dir), database)
                .applyAll(ApplyOptions.defaults().withDryRun(true), ProgressListener.NONE).await().indefinitely();

        assertThat(plan.pendingPlan()).extracting(CatalogMigration::name).containsExactly("001_people");
        assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).isNull();
        assertThat(db.value("SELECT to_regclass('people')::text")).isNull();
    }

    @Test
    void targetAppliesOnlyUpToTheNumberAndItsDependencies() {
        write(dir, "001_a.sql", "CREATE TABLE a (id int);\n");
        write(dir, "002_b.sql", "-- Dependencies: 5\nCREATE TABLE b (id int);\n");
        write(dir, "005_c.sql", "CREATE TABLE c (id int);\n");
        write(dir, "006_d.sql", "CREATE TABLE d (id int);\n");

        ApplyResult result = Engines.migrator(CatalogLoader.fromDirectory(dir), database)
                .applyAll(ApplyOptions.defaults().withTarget(2L), ProgressListener.NONE).await().indefinitely();

        assertThat(result.applied()).extracting(s -> s.migration().number()).containsExactly(1L, 5L, 2L);
        assertThat(db.value("SELECT to_regclass('d')::text")).isNull();
    }

    @Test
    void concurrentRunnersApplyEachMigrationExactlyOnce() throws Exception {
        for (int i = 1; i <= 20; i++) {
            write(dir, String.format("%03d_t%d.sql", i, i), "CREATE TABLE t" + i + " (id int);\nSELECT pg_sleep(0.01);\n");
        }
        Catalog catalog = CatalogLoader.fromDirectory(dir);
        List<ConnectionPool> databases = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<ApplyResult>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ConnectionPool d = Engines.database(db.url());
            databases.add(d);
            runs.add(Engines.migrator(catalog, d).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                    .subscribeAsCompletionStage());
        }
        int total = 0;
        for (var run : runs) {
            total += run.get().applied().size();
        }
        databases.forEach(ConnectionPool::close);

        assertThat(total).isEqualTo(20);
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("20");
        assertThat(db.value("SELECT count(DISTINCT migration_name) FROM schema_migrations")).isEqualTo("20");
    }

    @Test
    void historyRowKeepsAnyDescriptionExactlyAndRecordsTheServerSideTime() {
        String description = "it's a \\ back$2slash, $11 and E'quote' -- not a comment";
        write(dir, "001_odd.sql", "-- Description: " + description + "\nCREATE TABLE odd (id int);\nSELECT pg_sleep(0.05);\n");

        apply();

        assertThat(db.value("SELECT description FROM schema_migrations")).isEqualTo(description);
        assertThat(Integer.parseInt(db.value("SELECT execution_time_ms FROM schema_migrations"))).isGreaterThanOrEqualTo(50);
        assertThat(db.value("SELECT tool_version FROM schema_migrations")).isEqualTo("test");
    }

    @Test
    void fileEndingInACommentOrWithoutSemicolonStillGetsItsHistoryRow() {
        write(dir, "001_comment.sql", "CREATE TABLE c1 (id int); -- trailing comment, no newline");
        write(dir, "002_nosemi.sql", "CREATE TABLE c2 (id int)");
        write(dir, "003_block.sql", "CREATE TABLE c3 (id int); /* a block comment */");

        assertThat(apply().applied()).hasSize(3);
        assertThat(db.value("SELECT count(*) FROM schema_migrations WHERE success")).isEqualTo("3");
        assertThat(db.value("SELECT to_regclass('c2')::text")).isEqualTo("c2");
    }

    @Test
    void aMigrationThatChangesSearchPathOrRoleDoesNotLeakIntoHistoryOrTheNextMigration() {
        // pg_dump output starts like this; the history row must still land in the right table
        write(dir, "001_dump_style.sql", "SELECT pg_catalog.set_config('search_path', '', false);\n"
                + "CREATE TABLE public.a (id int);\n");
        write(dir, "002_plain.sql", "CREATE TABLE b (id int);\nSET statement_timeout = 1;\n");
        write(dir, "003_after.sql", "CREATE TABLE c (id int);\nSELECT pg_sleep(0.05);\n");

        assertThat(apply().applied()).hasSize(3);
        assertThat(db.value("SELECT to_regclass('public.b')::text")).isEqualTo("b");
        assertThat(db.value("SELECT count(*) FROM public.schema_migrations")).isEqualTo("3");
    }

    @Test
    void golangMigrateUpFilesRunAndDownFilesNever() {
        write(dir, "000001_create_users.up.sql", "CREATE TABLE users (id int);\n");
        write(dir, "000001_create_users.down.sql", "DROP TABLE users;\n");
        write(dir, "000002_add_email.up.sql", "ALTER TABLE users ADD COLUMN email text;\n");
        write(dir, "000002_add_email.down.sql", "ALTER TABLE users DROP COLUMN email;\n");
        write(dir, "000002_add_email.verify.sql", "SELECT count(*) = 1 FROM information_schema.columns WHERE column_name = 'email'\n");

        assertThat(apply().applied()).extracting(step -> step.migration().name())
                .containsExactly("000001_create_users", "000002_add_email");
        assertThat(db.value("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users'")).isEqualTo("2");
    }
}
