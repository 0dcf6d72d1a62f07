package dev.strata.engine;

import org.junit.jupiter.api.Tag;
import dev.strata.db.ConnectionPool;
import dev.strata.testing.Engines;
import dev.strata.testing.MigrationSuite;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application's migration suite (bundled SQL files, CDI-discovered classes): one dynamic test
 * per migration from {@link MigrationSuite}, plus the schema history table's own documentation.
 */
@Tag("cli")
@QuarkusTest
class MigrationSuiteTest extends MigrationSuite {

    @Test
    void historyTableDocumentsEveryColumn() {
        try (TestDatabase db = TestDatabase.create("history"); ConnectionPool database = Engines.database(db.url())) {
            database.connect().chain(c -> dev.strata.history.SchemaHistory.ensureAndRead(c, dev.strata.history.HistoryTable.DEFAULT).onTermination().call(c::close))
                    .await().indefinitely();
            List<String> undocumented = db.query("SELECT a.attname FROM pg_attribute a WHERE a.attrelid = "
                    + "'schema_migrations'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
                    + "AND col_description(a.attrelid, a.attnum) IS NULL");
            assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).isEqualTo("schema_migrations");
            assertThat(undocumented).isEmpty();
        }
    }
}
