package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.db.ConnectionPool;
import dev.strata.history.MigrationLock;
import dev.strata.serve.HttpService;
import dev.strata.testing.Engines;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata serve} under concurrent applies: ten {@code POST /migrations/apply} at once while
 * another session holds the migration lock for a while. Applies are serialized in the process, so
 * exactly one applies and the others answer with their own outcome (up to date); no request gets
 * 503 for want of a pooled connection, and readiness answers within Fly.io's 5 s check timeout
 * meanwhile. The scheme of the Authorization header is case-insensitive.
 */
@Tag("cli")
@QuarkusTest
@QuarkusTestResource(value = ServeTest.FreshDatabase.class, restrictToAnnotatedClass = true)
class ServeUnderLoadTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    HttpService http;

    /** {@code http://localhost:<port>/}: the port {@link HttpService} listens on (a free one, in tests). */
    URL base;

    @BeforeEach
    void findTheServer() throws Exception {
        base = URI.create("http://localhost:" + http.port() + "/").toURL();
    }

    private CompletableFuture<HttpResponse<String>> postApply(String authorization) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create(base.toString()).resolve("/migrations/apply"))
                .timeout(Duration.ofSeconds(120)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A readiness probe with Fly.io's default check timeout: no answer in 5 s throws. */
    private HttpResponse<String> probe() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base.toString()).resolve("/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void tenConcurrentAppliesApplyOnceAndReadinessAnswersMeanwhile() throws Exception {
        // read at run time: an injected property would have to exist for every @QuarkusTest class
        ConnectionPool other = Engines.database(ConfigProvider.getConfig()
                .getValue("quarkus.datasource.reactive.url", String.class));
        try {
            SqlConnection holder = other.connect().await().indefinitely();
            holder.query("SELECT pg_advisory_lock(" + MigrationLock.KEY + ")").execute().await().indefinitely();

            List<CompletableFuture<HttpResponse<String>>> applies = new ArrayList<>();
            String[] schemes = {"Bearer", "bearer", "BEARER"};
            for (int i = 0; i < 10; i++) {
                applies.add(postApply(schemes[i % schemes.length] + " test-token"));
            }
            // While the lock is held the first apply waits for it and the others queue behind it.
            AtomicBoolean done = new AtomicBoolean();
            List<Integer> probeCodes = new ArrayList<>();
            long releaseAt = System.nanoTime() + 4_000_000_000L;
            boolean released = false;
            long giveUpAt = System.nanoTime() + 180_000_000_000L;
            while (!done.get()) {
                assertThat(System.nanoTime()).as("the applies ended").isLessThan(giveUpAt);
                HttpResponse<String> ready = probe();
                probeCodes.add(ready.statusCode());
                assertThat(MAPPER.readTree(ready.body()).get("checks")).as(ready.body()).isNotNull();
                if (!released && System.nanoTime() > releaseAt) {
                    holder.query("SELECT pg_advisory_unlock(" + MigrationLock.KEY + ")").execute()
                            .await().indefinitely();
                    released = true;
                }
                done.set(released && applies.stream().allMatch(CompletableFuture::isDone));
                Thread.sleep(200);
            }
            assertThat(probeCodes).as("readiness answered while the applies ran").isNotEmpty();

            int appliedRuns = 0;
            for (CompletableFuture<HttpResponse<String>> apply : applies) {
                HttpResponse<String> response = apply.get();
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                JsonNode json = MAPPER.readTree(response.body());
                String outcome = json.get("outcome").asText();
                assertThat(outcome).as(response.body()).isIn("applied", "up-to-date");
                if ("applied".equals(outcome)) {
                    appliedRuns++;
                    assertThat(json.get("applied").size()).isEqualTo(8);
                } else {
                    assertThat(json.get("applied").size()).isZero();
                }
            }
            assertThat(appliedRuns).as("exactly one request applied the migrations").isEqualTo(1);
            HttpResponse<String> ready = probe();
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        } finally {
            other.close();
        }
    }
}
