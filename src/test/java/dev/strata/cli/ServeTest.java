package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.serve.HttpService;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP endpoints of {@code strata serve}, over real HTTP. {@code @QuarkusTest} starts the
 * application and its HTTP server without running the command line; the database comes from
 * {@code quarkus.datasource.reactive.url}, as in a container without DATABASE_URL.
 */
@Tag("cli")
@QuarkusTest
@QuarkusTestResource(value = ServeTest.FreshDatabase.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServeTest {

    /** A fresh database for the application, and the HTTP server ({@code strata.http.enabled}) that only {@code serve} starts. */
    public static class FreshDatabase implements QuarkusTestResourceLifecycleManager {
        private TestDatabase db;

        @Override
        public Map<String, String> start() {
            // These outrank quarkus.datasource.reactive.url (and STRATA_LOCATION the bundled catalog):
            // with one set, the application would look at (and POST /migrations/apply would migrate)
            // another database. PG* variables rank below the configured URL and do not matter.
            for (String variable : new String[] {"DIRECT_DATABASE_URL", "DATABASE_URL", "STRATA_LOCATION"}) {
                if (System.getenv(variable) != null) {
                    throw new IllegalStateException(variable + " is set in the test environment; ServeTest "
                            + "configures the database through quarkus.datasource.reactive.url and needs it unset");
                }
            }
            db = TestDatabase.create("serve");
            return Map.of(
                    "strata.http.enabled", "true",
                    "quarkus.datasource.reactive.url", db.url(),
                    "strata.admin-token", "test-token");
        }

        @Override
        public void stop() {
            if (db != null) {
                db.close();
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

    private HttpResponse<String> postApply(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("/migrations/apply"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type")).as(response.body()).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return MAPPER.readTree(response.body());
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (name.equals(check.get("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    @Test
    @Order(1)
    void readinessIsDownWhileMigrationsArePending() throws Exception {
        HttpResponse<String> response = get("/q/health/ready");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        JsonNode health = json(response);
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "migrations").get("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "migrations").get("data").get("pending").asInt()).isEqualTo(8);
        assertThat(check(health, "database").get("status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void livenessIsUp() throws Exception {
        HttpResponse<String> response = get("/q/health/live");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).get("status").asText()).isEqualTo("UP");
    }

    @Test
    @Order(3)
    void migrationsListsEveryMigrationAsPending() throws Exception {
        HttpResponse<String> response = get("/migrations");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = json(response);
        assertThat(json.get("pending").asInt()).isEqualTo(8);
        assertThat(json.get("applied").asInt()).isZero();
        assertThat(json.get("upToDate").asBoolean()).isFalse();
        assertThat(json.get("entries").size()).isEqualTo(8);
        List<String> states = new ArrayList<>();
        json.get("entries").forEach(e -> states.add(e.get("state").asText()));
        assertThat(states).containsOnly("pending");
        assertThat(json.get("entries").get(0).get("name").asText()).isEqualTo("001_fix_missing_tables");
    }

    @Test
    @Order(4)
    void oneMigration() throws Exception {
        HttpResponse<String> response = get("/migrations/12");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = json(response);
        assertThat(json.get("number").asInt()).isEqualTo(12);
        assertThat(json.get("name").asText()).isEqualTo("012_fix_production_schema");
        assertThat(json.get("dependencies").size()).isEqualTo(1);
        assertThat(json.get("dependencies").get(0).asInt()).isEqualTo(7);
        assertThat(json.get("state").asText()).isEqualTo("pending");
        assertThat(json.get("description").asText()).isNotBlank();
    }

    @Test
    @Order(5)
    void unknownAndMalformedNumbers() throws Exception {
        HttpResponse<String> missing = get("/migrations/99");
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(json(missing).get("error").get("message").asText()).contains("99");
        HttpResponse<String> malformed = get("/migrations/abc");
        assertThat(malformed.statusCode()).as(malformed.body()).isEqualTo(400);
        assertThat(json(malformed).get("error").get("message").asText()).contains("abc");
    }

    @Test
    @Order(6)
    void applyNeedsTheBearerToken() throws Exception {
        HttpResponse<String> none = postApply(null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        HttpResponse<String> wrong = postApply("Bearer not-the-token");
        assertThat(wrong.statusCode()).as(wrong.body()).isEqualTo(403);

        HttpResponse<String> basic = postApply("Basic dGVzdC10b2tlbjo=");
        assertThat(basic.statusCode()).as(basic.body()).isEqualTo(401);

        HttpResponse<String> status = get("/migrations");
        assertThat(json(status).get("pending").asInt()).as("a refused request applies nothing").isEqualTo(8);
    }

    @Test
    @Order(7)
    void applyWithTheTokenAppliesEverything() throws Exception {
        HttpResponse<String> response = postApply("Bearer test-token");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode json = json(response);
        assertThat(json.get("outcome").asText()).isEqualTo("applied");
        assertThat(json.get("applied").size()).isEqualTo(8);
        assertThat(json.get("applied").get(0).get("name").asText()).isEqualTo("001_fix_missing_tables");
        // The test server's host and port depend on where TestDatabase found it (5432, Docker, embedded).
        assertThat(json.get("database").asText()).matches("postgresql://[^:@/]+@[^/]+/strata_serve_[0-9a-f]{8}");
    }

    @Test
    @Order(8)
    void rightAfterApplyReadinessAndStatusShowTheNewState() throws Exception {
        HttpResponse<String> list = get("/migrations");
        assertThat(json(list).get("pending").asInt()).as(list.body()).isZero();
        HttpResponse<String> ready = get("/q/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    }

    @Test
    @Order(9)
    void afterApplyReadinessIsUpAndNothingIsPending() throws Exception {
        Thread.sleep(1_100); // past the status report's 1 s reuse window (see the disabled test above)
        HttpResponse<String> ready = get("/q/health/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        JsonNode health = json(ready);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(check(health, "migrations").get("data").get("applied").asInt()).isEqualTo(8);
        HttpResponse<String> list = get("/migrations");
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode json = json(list);
        assertThat(json.get("pending").asInt()).isZero();
        assertThat(json.get("applied").asInt()).isEqualTo(8);
        assertThat(json.get("upToDate").asBoolean()).isTrue();
        HttpResponse<String> twelve = get("/migrations/12");
        assertThat(json(twelve).get("state").asText()).isEqualTo("applied");
        assertThat(json(twelve).get("executedAt").asText()).isNotBlank();
    }

    @Test
    @Order(10)
    void applyingAgainFindsNothingToDo() throws Exception {
        HttpResponse<String> again = postApply("Bearer test-token");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode json = json(again);
        assertThat(json.get("outcome").asText()).isEqualTo("up-to-date");
        assertThat(json.get("applied").size()).isZero();
    }
}
