package dev.strata.embedded;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.MigrationState;
import dev.strata.engine.ProgressListener;
import dev.strata.engine.StatusReport;
import dev.strata.testing.EmbeddedServers;
import dev.strata.testing.Engines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded server for real (tier 2, no other database needed): initdb in a fresh directory,
 * the bundled migrations applied, stopped, started again with the data still there. As root (CI)
 * it runs as user postgres.
 */
@Tag("db")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedPostgresTest {

    static EmbeddedPostgres server;
    static Catalog catalog;

    @BeforeAll
    static void setUp() {
        server = EmbeddedServers.throwAway("persist");
        catalog = Engines.bundledCatalog();
    }

    @AfterAll
    static void tearDown() {
        if (server != null) {
            EmbeddedServers.discard(server);
        }
    }

    @Test
    @Order(1)
    void firstStartInitialisesTheDataDirectory() throws Exception {
        assertThat(server.status().state()).isEqualTo(EmbeddedPostgres.State.NOT_INITIALISED);
        assertThat(server.start()).as("started by this call").isTrue();
        EmbeddedPostgres.Status status = server.status();
        assertThat(status.state()).isEqualTo(EmbeddedPostgres.State.RUNNING);
        assertThat(server.start()).as("second start finds it running").isFalse();
        assertThat(server.url()).isEqualTo("postgresql://postgres@127.0.0.1:" + server.config().port() + "/postgres");
        if (ServerUser.isRoot()) {
            // PostgreSQL refuses root; the server and its data belong to the unprivileged user.
            assertThat(ProcessHandle.of(status.pid()).orElseThrow().info().user()).contains(ServerUser.DEFAULT_USER);
            assertThat(Files.getOwner(server.dataDirectory()).getName()).isEqualTo(ServerUser.DEFAULT_USER);
        }
    }

    @Test
    @Order(2)
    void appliesTheBundledMigrations() {
        try (ConnectionPool database = Engines.database(server.url())) {
            String version = database.pool().query("SHOW server_version").execute().await().indefinitely()
                    .iterator().next().getString(0);
            assertThat(version).startsWith(server.config().major() + ".");
            ApplyResult result = Engines.migrator(catalog, database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                    .await().indefinitely();
            assertThat(result.applied()).hasSize(catalog.size());
        }
    }

    @Test
    @Order(3)
    void stopsAndKeepsTheData() {
        assertThat(server.stop()).isTrue();
        assertThat(server.status().state()).isEqualTo(EmbeddedPostgres.State.STOPPED);
        assertThat(server.stop()).as("second stop finds nothing to stop").isFalse();
        assertThat(server.dataDirectory().resolve("PG_VERSION")).exists();
    }

    @Test
    @Order(4)
    void restartsOnTheSamePortWithTheMigrationsStillApplied() {
        int port = server.port();
        assertThat(server.start()).isTrue();
        assertThat(server.port()).isEqualTo(port);
        try (ConnectionPool database = Engines.database(server.url())) {
            StatusReport report = Engines.migrator(catalog, database).status().await().indefinitely();
            assertThat(report.appliedCount()).isEqualTo(catalog.size());
            assertThat(report.count(MigrationState.PENDING)).isZero();
            ApplyResult again = Engines.migrator(catalog, database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                    .await().indefinitely();
            assertThat(again.applied()).isEmpty();
        }
    }

    @Test
    @Order(5)
    void explainsHowToFetchAVersionThatIsNotBundled() {
        EmbeddedConfig other = new EmbeddedConfig("99.0.0", server.config().home(), server.config().instanceDir(),
                null, java.util.Map.of());
        EmbeddedPostgres wrong = new EmbeddedPostgres(other, server.user(), System.getenv(), note -> { });
        assertThat(server.stop()).isTrue();
        assertThatThrownBy(wrong::start).isInstanceOf(EmbeddedException.class)
                .hasMessageContaining("not bundled").hasMessageContaining("dependency:get");
    }
}
