package dev.strata.history;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.HistoryConflictException;
import dev.strata.engine.ProgressListener;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database migrated by real Flyway CE, then Strata on the same folder: it adopts Flyway's history
 * (checked with Flyway's checksum) instead of running the files again, and runs only what is new.
 */
@Tag("db")
class AdoptionFlywayTest {

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() throws Exception {
        db = TestDatabase.create("adopt");
        database = Engines.database(db.url());
        Path fixture = Path.of(getClass().getClassLoader().getResource("layouts/flyway/sql").toURI());
        try (Stream<Path> files = Files.walk(fixture)) {
            // Not V1.10 (CREATE INDEX CONCURRENTLY): Flyway 13 runs it while its own connection sits
            // idle in a transaction, so the index build waits for that transaction forever.
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("V1.10__")).toList()) {
                Path target = dir.resolve(fixture.relativize(f).toString());
                Files.createDirectories(target.getParent());
                Files.copy(f, target);
            }
        }
    }

    @AfterEach
    void tearDown() {
        database.close();
        db.close();
    }

    private void flywayMigrate() {
        URI url = URI.create(db.url());
        String[] user = url.getUserInfo().split(":", 2);
        Flyway.configure().dataSource("jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath(),
                        user[0], user.length > 1 ? user[1] : null)
                .locations("filesystem:" + dir).load().migrate();
    }

    private ApplyResult strataApply() {
        Catalog catalog = CatalogLoader.fromLocations(List.of(dir), "auto", false);
        return Engines.migrator(catalog, database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .await().indefinitely();
    }

    private List<String> flywayRows() {
        return db.query("SELECT installed_rank || ' ' || coalesce(version, '') || ' ' || script || ' ' || checksum"
                + " || ' ' || success FROM flyway_schema_history ORDER BY installed_rank");
    }

    @Test
    void adoptsFlywayHistoryThenRunsOnlyTheNewFile() throws IOException {
        flywayMigrate();
        List<String> flywayBefore = flywayRows();
        assertThat(flywayBefore).hasSize(3);

        ApplyResult first = strataApply();

        assertThat(first.applied()).isEmpty();
        assertThat(db.query("SELECT migration_name || ' ' || kind FROM schema_migrations ORDER BY id")).containsExactly(
                "V1__init adopted-flyway", "V1.2__add_email adopted-flyway", "V2__orders adopted-flyway");
        assertThat(flywayRows()).isEqualTo(flywayBefore);

        Files.writeString(dir.resolve("V3__invoices.sql"), "CREATE TABLE fw_invoices (id integer PRIMARY KEY);\n");
        ApplyResult second = strataApply();

        assertThat(second.applied()).extracting(s -> s.migration().name()).containsExactly("V3__invoices");
        assertThat(db.value("SELECT kind FROM schema_migrations WHERE migration_name = 'V3__invoices'")).isEqualTo("applied");
        assertThat(flywayRows()).isEqualTo(flywayBefore);
    }

    @Test
    void fileEditedSinceFlywayRanItIsRefusedAndNothingIsRecorded() throws IOException {
        flywayMigrate();
        Files.writeString(dir.resolve("V1.2__add_email.sql"), "ALTER TABLE fw_users ADD COLUMN email varchar(100);\n");

        HistoryConflictException e = catchThrowableOfType(HistoryConflictException.class, this::strataApply);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains(dir.resolve("V1.2__add_email.sql") + " changed since Flyway applied it")
                .contains("--adopt off");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void failedFlywayRowIsRefusedNamingIt() {
        flywayMigrate();
        db.query("UPDATE flyway_schema_history SET success = false WHERE version = '2'"); // as a failed non-transactional run leaves it

        HistoryConflictException e = catchThrowableOfType(HistoryConflictException.class, this::strataApply);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("version 2, more/V2__orders.sql) failed");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void checksumIsFlywaysCrc32OverLinesWithoutBreaks() {
        // Same lines, different line breaks and a byte-order mark: Flyway gives them one checksum.
        assertThat(AdoptionFlyway.checksum("\uFEFFSELECT 1;\r\nSELECT 2;\r\n"))
                .isEqualTo(AdoptionFlyway.checksum("SELECT 1;\nSELECT 2;"));
        assertThat(AdoptionFlyway.checksum("SELECT 1;\n")).isNotEqualTo(AdoptionFlyway.checksum("SELECT 2;\n"));
    }

    @Test
    void adoptOffLeavesFlywaysTableUnread() {
        flywayMigrate();
        Catalog catalog = CatalogLoader.fromLocations(List.of(dir), "auto", false);

        RuntimeException e = catchThrowableOfType(RuntimeException.class, () -> Engines.migrator(catalog, database)
                .adoption(false).applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely());

        // What every run did before adoption existed: V1 runs again on Flyway's schema and fails.
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("V1__init.sql").contains("already exists");

        assertThat(db.query("SELECT kind FROM schema_migrations")).doesNotContain("adopted-flyway");
    }
}
