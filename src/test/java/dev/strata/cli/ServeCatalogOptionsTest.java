package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.serve.HttpService;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code strata serve} reads the catalog the CLI reads: a Flyway folder (configuration
 * {@code strata.location} / {@code strata.layout} / {@code strata.adopt}, the variables behind
 * {@code --location}, {@code --layout}, {@code --adopt}) on a database real Flyway CE migrated
 * first: GET /migrations reports that folder, and POST /migrations/apply honours {@code adopt=off}
 * (Flyway's history ignored, V1 run again and refused by PostgreSQL). Adoption itself ({@code auto},
 * the default) is tested in {@code AdoptionFlywayTest}.
 */
@Tag("cli")
@QuarkusTest
@QuarkusTestResource(value = ServeCatalogOptionsTest.FlywayDatabase.class, restrictToAnnotatedClass = true)
class ServeCatalogOptionsTest {

    /** A database Flyway CE migrated with V1, V2 of a folder that now also holds V3. */
    public static class FlywayDatabase implements QuarkusTestResourceLifecycleManager {
        private TestDatabase db;
        private Path dir;

        @Override
        public Map<String, String> start() {
            for (String variable : new String[] {"DIRECT_DATABASE_URL", "DATABASE_URL", "STRATA_LOCATION",
                    "STRATA_LAYOUT", "STRATA_ADOPT"}) {
                if (System.getenv(variable) != null) {
                    throw new IllegalStateException(variable + " is set in the test environment; this test configures "
                            + "the database and catalog through the configuration and needs it unset");
                }
            }
            try {
                dir = Files.createTempDirectory("strata-serve-flyway");
                Files.writeString(dir.resolve("V1__accounts.sql"), "CREATE TABLE sc_accounts (id bigint PRIMARY KEY, email text);\n");
                Files.writeString(dir.resolve("V2__index.sql"),
                        "CREATE INDEX CONCURRENTLY sc_accounts_email ON sc_accounts (email);\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            db = TestDatabase.create("servecat");
            URI url = URI.create(db.url());
            String[] user = url.getUserInfo().split(":", 2);
            FluentConfiguration config = Flyway.configure()
                    .dataSource("jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + url.getPath(),
                            user[0], user.length > 1 ? user[1] : null)
                    .locations("filesystem:" + dir);
            // Flyway's transactional lock keeps a transaction open that CREATE INDEX CONCURRENTLY waits for
            config.getPluginRegister().getPlugin(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
            config.load().migrate();
            try {
                Files.writeString(dir.resolve("V3__orders.sql"), "CREATE TABLE sc_orders (id bigint PRIMARY KEY);\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return Map.of(
                    "strata.http.enabled", "true",
                    "quarkus.datasource.reactive.url", db.url(),
                    "strata.location", dir.toString(),
                    "strata.layout", "flyway",
                    "strata.adopt", "off",
                    "strata.admin-token", "serve-test-token");
        }

        @Override
        public void stop() {
            if (db != null) {
                db.close();
            }
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.delete(f);
                    }
                    Files.delete(dir);
                } catch (IOException ignored) {
                    // a temp folder left behind
                }
            }
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Inject
    HttpService http;

    /** {@code http://localhost:<port>/}: the port {@link HttpService} listens on (a free one, in tests). */
    URL base;

    @BeforeEach
    void findTheServer() throws Exception {
        base = URI.create("http://localhost:" + http.port() + "/").toURL();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reportsTheFlywayFolderAndHonoursAdoptOff() throws Exception {
        HttpResponse<String> before = get("/migrations");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        JsonNode status = MAPPER.readTree(before.body());
        assertThat(status.get("location").asText()).contains("strata-serve-flyway");
        assertThat(status.get("migrations").asInt()).isEqualTo(3);
        assertThat(status.get("pendingMigrations")).extracting(JsonNode::asText)
                .containsExactly("V1__accounts", "V2__index", "V3__orders");
        assertThat(get("/q/health/ready").statusCode()).isEqualTo(503);

        // strata.adopt=off: Flyway's history is ignored, so V1 runs again and PostgreSQL refuses it
        HttpResponse<String> applied = HTTP.send(HttpRequest.newBuilder(URI.create(base.toString()).resolve("/migrations/apply"))
                .header("Authorization", "Bearer serve-test-token").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(409);
        assertThat(applied.body()).contains("V1__accounts").contains("already exists");
        assertThat(rows("SELECT count(*)::text FROM schema_migrations WHERE kind LIKE 'adopted%'")).containsExactly("0");
        assertThat(rows("SELECT count(*)::text FROM flyway_schema_history")).containsExactly("2");
    }

    private static List<String> rows(String sql) throws Exception {
        URI url = URI.create(ConfigProvider.getConfig().getValue("quarkus.datasource.reactive.url", String.class));
        String[] user = url.getUserInfo().split(":", 2);
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + url.getHost() + ":" + url.getPort()
                + url.getPath(), user[0], user.length > 1 ? user[1] : null);
             ResultSet rs = c.createStatement().executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
