package dev.strata.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.ApplyMain;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page over real HTTP with {@code STRATA_ADMIN_TOKEN} set: the sign-in flow and its
 * cookie, the CSP, the JSON endpoint, and that text from files and from the database renders as
 * text (a migration description and an unknown history row named with {@code <script>}).
 */
@Tag("cli")
@QuarkusTest
@QuarkusTestResource(value = StatusPageTest.Setup.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageTest {

    static final String TOKEN = "page-test-token";

    /** A folder of three migrations, the first applied, plus a history row the folder does not know. */
    public static class Setup implements QuarkusTestResourceLifecycleManager {
        private TestDatabase db;
        private Path dir;

        @Override
        public Map<String, String> start() {
            for (String variable : new String[] {"DIRECT_DATABASE_URL", "DATABASE_URL", "STRATA_LOCATION"}) {
                if (System.getenv(variable) != null) {
                    throw new IllegalStateException(variable + " is set; StatusPageTest configures its own database and folder");
                }
            }
            try {
                dir = Files.createTempDirectory("strata-status-page");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(dir, "001_create_accounts.sql", "-- Description: accounts <script>alert('file')</script>\n"
                    + "CREATE TABLE accounts (id int PRIMARY KEY);\n");
            write(dir, "002_create_notes.sql", "-- Description: notes\n-- Depends on: 1\n"
                    + "CREATE TABLE notes (id int PRIMARY KEY, account int REFERENCES accounts (id));\n");
            write(dir, "003_create_tags.sql", "-- Description: tags & labels\n-- Depends on: 1\n"
                    + "CREATE TABLE tags (id int PRIMARY KEY);\n");
            db = TestDatabase.create("page");
            ApplyMain.inChildJvm(db.url(), dir.toString(), 1L);
            db.query("INSERT INTO schema_migrations (migration_name, migration_number, checksum, description, "
                    + "execution_time_ms) VALUES ('099_<script>alert(1)</script>', 99, repeat('0', 64), "
                    + "'<img src=x onerror=alert(2)>', 5)");
            return Map.of(
                    "strata.http.enabled", "true",
                    "quarkus.datasource.reactive.url", db.url(),
                    "strata.location", dir.toString(),
                    "strata.admin-token", TOKEN);
        }

        @Override
        public void stop() {
            if (db != null) {
                db.close();
            }
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Inject
    HttpService http;

    /** {@code http://localhost:<port>/}: the port {@link HttpService} listens on (a free one, in tests). */
    URL base;

    @BeforeEach
    void findTheServer() throws Exception {
        base = URI.create("http://localhost:" + http.port() + "/").toURL();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .timeout(Duration.ofSeconds(60)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> signIn(String form, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString()).resolve("/session"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String cookie() throws Exception {
        HttpResponse<String> response = signIn("token=" + TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(303);
        String header = response.headers().firstValue("Set-Cookie").orElseThrow();
        return header.substring(0, header.indexOf(';'));
    }

    @Test
    void withoutACredentialTheBrowserGetsTheSignInFormAndNoData() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.body()).contains("<form method=\"post\" action=\"/session\"")
                .doesNotContain("001_create_accounts").doesNotContain("schema_migrations");
        HttpResponse<String> json = get("/status.json");
        assertThat(json.statusCode()).isEqualTo(401);
        assertThat(json.body()).doesNotContain("001_create_accounts");
        assertThat(get("/status.json", "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
    }

    @Test
    void signingInSetsAnHttpOnlyStrictCookieThatIsNotTheToken() throws Exception {
        HttpResponse<String> wrong = signIn("token=nope");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> crossSite = signIn("token=" + TOKEN, "Origin", "https://evil.example");
        assertThat(crossSite.statusCode()).as("a form posted from another origin").isEqualTo(403);
        assertThat(crossSite.headers().firstValue("Set-Cookie")).isEmpty();

        HttpResponse<String> right = signIn("token=" + TOKEN);
        assertThat(right.statusCode()).isEqualTo(303);
        assertThat(right.headers().firstValue("Location")).hasValue("/");
        String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).startsWith(PageAccess.COOKIE + "=").contains("HttpOnly").contains("SameSite=Strict")
                .contains("Path=/").doesNotContain(TOKEN);

        HttpResponse<String> page = get("/", "Cookie", cookie());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(get("/", "Cookie", PageAccess.COOKIE + "=" + TOKEN).statusCode())
                .as("the raw token is not a session").isEqualTo(401);
    }

    @Test
    void thePageShowsEveryMigrationItsStateTheCountsAndTheLastRun() throws Exception {
        HttpResponse<String> page = get("/", "Authorization", "Bearer " + TOKEN);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        String html = page.body();
        assertThat(rowStates(html)).containsExactly("1 applied", "2 pending", "3 pending", "99 unknown");
        assertThat(count(html, "applied")).isEqualTo("1");
        assertThat(count(html, "pending")).isEqualTo("2");
        assertThat(count(html, "unknown")).isEqualTo("1");
        assertThat(count(html, "changed")).isEqualTo("0");
        assertThat(count(html, "failed")).isEqualTo("0");
        // The unknown row was inserted after 001, so it is the last one recorded.
        assertThat(html).contains("<dd id=\"last-recorded\"><strong>099_&lt;script&gt;alert(1)&lt;/script&gt;</strong>");
        assertThat(html).contains("<svg").contains("<title>m1</title>").contains("<title>m2</title>")
                .contains("<title>m3</title>");
        assertThat(html).contains("tags &amp; labels");
    }

    @Test
    void textFromFilesAndFromTheDatabaseIsEscaped() throws Exception {
        String html = get("/", "Authorization", "Bearer " + TOKEN).body();
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img src=x")
                .contains("accounts &lt;script&gt;alert(&#39;file&#39;)&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(2)&gt;");
        // Exactly one script element: the page's own, under the nonce.
        assertThat(html.split("<script", -1).length - 1).isEqualTo(1);
        assertThat(html).containsPattern("<script nonce=\"[A-Za-z0-9+/=]{24}\">");
    }

    @Test
    void everyResponseForbidsInlineCodeOtherThanItsOwnAndExternalAssets() throws Exception {
        HttpResponse<String> page = get("/", "Authorization", "Bearer " + TOKEN);
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        Matcher nonce = Pattern.compile("<script nonce=\"([^\"]+)\">").matcher(page.body());
        assertThat(nonce.find()).isTrue();
        assertThat(csp).contains("default-src 'none'").contains("script-src 'nonce-" + nonce.group(1) + "'")
                .contains("style-src 'nonce-" + nonce.group(1) + "'").contains("connect-src 'self'")
                .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline").doesNotContain("http");
        assertThat(page.body()).doesNotContainPattern("(src|href)=\"(https?:)?//");
        String again = get("/", "Authorization", "Bearer " + TOKEN).headers().firstValue("Content-Security-Policy")
                .orElseThrow();
        assertThat(again).as("a fresh nonce per response").isNotEqualTo(csp);
        assertThat(get("/").headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(get("/status.json").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void statusJsonCarriesTheCountsTheEntriesAndAFingerprint() throws Exception {
        HttpResponse<String> response = get("/status.json", "Cookie", cookie());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode json = MAPPER.readTree(response.body());
        assertThat(json.get("counts").get("applied").asInt()).isEqualTo(1);
        assertThat(json.get("counts").get("pending").asInt()).isEqualTo(2);
        assertThat(json.get("counts").get("unknown").asInt()).isEqualTo(1);
        assertThat(json.get("verdict").asText()).isEqualTo("attention");
        List<String> entries = new ArrayList<>();
        json.get("entries").forEach(e -> entries.add(e.get("name").asText() + " " + e.get("state").asText()));
        assertThat(entries).containsExactly("001_create_accounts applied", "002_create_notes pending",
                "003_create_tags pending", "099_<script>alert(1)</script> unknown");
        assertThat(json.get("fingerprint").asText()).matches("[0-9a-f]{24}");
        assertThat(json.get("fleet").isNull()).isTrue();
        // The page shows the same fingerprint, so its script reloads only when something changed.
        String html = get("/", "Cookie", cookie()).body();
        assertThat(html).contains("data-fingerprint=\"" + json.get("fingerprint").asText() + "\"");
    }

    /** Last, because it migrates: an apply over HTTP shows up as this server's last run. */
    @Test
    @Order(Integer.MAX_VALUE)
    void anApplyOverHttpIsTheServersLastRun() throws Exception {
        assertThat(get("/", "Authorization", "Bearer " + TOKEN).body())
                .contains("none since this server started");
        HttpResponse<String> apply = HTTP.send(HttpRequest.newBuilder(URI.create(base.toString()).resolve("/migrations/apply"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        // The unknown history row makes apply-all refuse (exit 1 class): a failed run, recorded as such.
        assertThat(apply.statusCode()).as(apply.body()).isEqualTo(409);
        String html = get("/", "Authorization", "Bearer " + TOKEN).body();
        assertThat(html).containsPattern("<dd id=\"last-apply\"><strong>failed</strong>, started \\d{4}-\\d{2}-\\d{2} "
                + "\\d{2}:\\d{2}:\\d{2} UTC, took \\d+ ms<br><span class=\"failure\">[^<]*099_");
        JsonNode json = MAPPER.readTree(get("/status.json", "Authorization", "Bearer " + TOKEN).body());
        assertThat(json.get("lastApply").get("outcome").asText()).isEqualTo("failed");
        assertThat(json.get("counts").get("pending").asInt()).as("nothing was applied").isEqualTo(2);
    }

    private static List<String> rowStates(String html) {
        Matcher m = Pattern.compile("<tr data-number=\"(\\d+)\" data-name=\"[^\"]*\" data-state=\"([a-z]+)\">").matcher(html);
        List<String> rows = new ArrayList<>();
        while (m.find()) {
            rows.add(m.group(1) + " " + m.group(2));
        }
        return rows;
    }

    private static String count(String html, String state) {
        Matcher m = Pattern.compile("<div class=\"count " + state + "\" data-state=\"" + state
                + "\"><span class=\"n\">([0-9?]+)</span>").matcher(html);
        assertThat(m.find()).as("a count of " + state).isTrue();
        return m.group(1);
    }
}
