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

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The failure locator's re-run of a failed migration never commits anything. */
@Tag("db")
class FailureLocatorRerunTest {

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("locator");
        db.query("CREATE TABLE log (msg text)");
        db.query("CREATE TABLE t (id int NOT NULL)");
    }

    @AfterEach
    void tearDown() {
        if (database != null) {
            database.close();
        }
        db.close();
    }

    private MigrationFailure failure() {
        database = Engines.database(db.url());
        MigrationFailedException e = catchThrowableOfType(MigrationFailedException.class, () ->
                Engines.migrator(CatalogLoader.fromDirectory(dir), database)
                        .applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely());
        assertThat(e).as("the run must fail").isNotNull();
        return e.failure();
    }

    @Test
    void aCommitHiddenFromTheScannerIsNotRunAgainByTheRerun() {
        // A legacy database setting: the server then reads '\' as an escaped quote, the scanner
        // does not, and the file's second line hides a COMMIT from the scanner.
        db.query("ALTER DATABASE " + db.name() + " SET standard_conforming_strings = off");
        write(dir, "001_data.sql", "INSERT INTO log VALUES ('a');\n"
                + "SELECT '\\' AS a, ' ; COMMIT; -- ';\n"
                + "INSERT INTO t VALUES (NULL);\n");

        MigrationFailure f = failure();

        assertThat(f.sqlState()).isEqualTo("23502");
        assertThat(db.value("SELECT count(*) FROM log")).as("the re-run inserted no second row").isIn("0", "1");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
        if (db.value("SELECT count(*) FROM log").equals("1")) {
            // the session read the file the legacy way: the re-run must not pretend to know more
            assertThat(f.located()).isEqualTo("not located");
            assertThat(f.describe()).contains("001_data.sql:2:1 as several commands")
                    .contains("standard_conforming_strings");
        } else {
            assertThat(f.line()).isEqualTo(3);
        }
    }

    @Test
    void aFailedDataMigrationLeavesNoRowsAndIsLocated() {
        write(dir, "001_data.sql", "INSERT INTO log VALUES ('a');\nINSERT INTO log VALUES ('b');\n"
                + "\n  INSERT INTO t VALUES (NULL);\n");

        MigrationFailure f = failure();

        assertThat(f.sqlState()).isEqualTo("23502");
        assertThat(f.located()).isEqualTo("statement re-run");
        assertThat(f.location()).endsWith("001_data.sql:4:3");
        assertThat(db.value("SELECT count(*) FROM log")).isEqualTo("0");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }
}
