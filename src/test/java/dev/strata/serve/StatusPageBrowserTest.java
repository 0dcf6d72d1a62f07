package dev.strata.serve;

import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ProgressListener;
import dev.strata.engine.Target;
import dev.strata.testing.ApplyMain;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
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
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page as a person sees it: {@code serve} on a real database with three of the bundled
 * migrations applied, opened in headless Chromium through {@code chromedriver} (Selenium 4, no
 * Selenium Manager: the browser and driver are the system's). Asserts on the DOM (every migration in
 * the graph and the table, states right), saves {@code target/status-page.png}, then migrates the
 * rest behind the page's back and waits for the page to reload itself; a history row named with
 * {@code <script>} renders as text and runs nothing. No token is configured, so the page answers
 * loopback only. Without a browser the class is skipped, with {@code CI=true} it fails.
 */
@Tag("cli")
@QuarkusTest
@QuarkusTestResource(value = StatusPageBrowserTest.Setup.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusPageBrowserTest {

    static final List<String> BUNDLED = List.of("001_fix_missing_tables", "007_crm_system_schema",
            "010_fix_team_members_schema", "012_fix_production_schema", "013_agentic_rag_tables",
            "014_knowledge_graph_tables", "015_add_drive_columns", "016_add_summary_to_parent_docs");

    static TestDatabase db;
    static TestDatabase tenantA;
    static TestDatabase tenantB;

    /** A fresh database with 001, 007 and 010 applied; the bundled catalog; no admin token. */
    public static class Setup implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            for (String variable : new String[] {"DIRECT_DATABASE_URL", "DATABASE_URL", "STRATA_LOCATION",
                    "STRATA_ADMIN_TOKEN"}) {
                if (System.getenv(variable) != null) {
                    throw new IllegalStateException(variable + " is set; StatusPageBrowserTest configures its own");
                }
            }
            db = TestDatabase.create("browser");
            ApplyMain.inChildJvm(db.url(), "bundled", 10L);
            // A fleet of three: one migrated, one fresh, one whose database does not exist.
            tenantA = TestDatabase.create("browser_a");
            ApplyMain.inChildJvm(tenantA.url(), "bundled", null);
            tenantB = TestDatabase.create("browser_b");
            return Map.of("strata.http.enabled", "true", "quarkus.datasource.reactive.url", db.url());
        }

        @Override
        public void stop() {
            for (TestDatabase d : new TestDatabase[] {db, tenantA, tenantB}) {
                if (d != null) {
                    d.close();
                }
            }
        }
    }

    private static ChromeDriver driver;
    private static Path profile;

    @Inject
    HttpService http;

    /** {@code http://localhost:<port>/}: the port {@link HttpService} listens on (a free one, in tests). */
    URL base;

    @BeforeEach
    void findTheServer() throws Exception {
        base = URI.create("http://localhost:" + http.port() + "/").toURL();
    }

    @Inject
    FleetStatus fleet;

    @Inject
    HealthTarget target;

    @BeforeAll
    static void startBrowser() throws IOException {
        Optional<Path> chromium = firstExecutable(System.getenv("STRATA_CHROMIUM"), "/usr/bin/chromium",
                "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        Optional<Path> chromedriver = firstExecutable(System.getenv("STRATA_CHROMEDRIVER"), "/usr/bin/chromedriver",
                "/usr/lib/chromium/chromedriver");
        if (chromium.isEmpty() || chromedriver.isEmpty()) {
            String missing = "headless Chromium and chromedriver are needed (Debian: apt-get install chromium "
                    + "chromium-driver; .ci/run installs them); found browser " + chromium + ", driver " + chromedriver;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(missing);
            }
            Assumptions.abort(missing);
        }
        // Selenium Manager would try to download a driver; tracing would start OpenTelemetry.
        System.setProperty("webdriver.chrome.driver", chromedriver.get().toString());
        System.setProperty("webdriver.remote.enableTracing", "false");
        profile = Files.createTempDirectory("strata-chromium");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.get().toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
                "--force-device-scale-factor=1", "--window-size=1200,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.get().toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(90)).scriptTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    private static Optional<Path> firstExecutable(String... candidates) {
        for (String c : candidates) {
            if (c != null && !c.isBlank() && Files.isExecutable(Path.of(c))) {
                return Optional.of(Path.of(c));
            }
        }
        return Optional.empty();
    }

    /** Polls {@code condition} every 200 ms until it holds; fails after {@code seconds}. */
    private static void waitUntil(int seconds, String what, Predicate<ChromeDriver> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        WebDriverException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.test(driver)) {
                    return;
                }
            } catch (WebDriverException e) {
                last = e; // e.g. an element went stale while the page reloaded
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + seconds + " s for " + what + "; the page shows: "
                + driver.findElement(By.tagName("body")).getText(), last);
    }

    /** Opens the page and waits for the graph (one SVG group per node) and for the script. */
    private void openAndWaitForGraph(int nodes) throws InterruptedException {
        driver.get(base.toString());
        waitUntil(60, "the graph and the script", d -> d.findElements(By.cssSelector("#graph-picture svg g.node")).size() == nodes
                && "ready".equals(d.findElement(By.tagName("body")).getAttribute("data-script")));
    }

    private static List<String> texts(String css) {
        List<String> out = new ArrayList<>();
        for (WebElement e : driver.findElements(By.cssSelector(css))) {
            out.add(e.getText().strip());
        }
        return out;
    }

    private static List<String> rowStates() {
        List<String> out = new ArrayList<>();
        for (WebElement row : driver.findElements(By.cssSelector("#migrations tbody tr"))) {
            out.add(row.getAttribute("data-name") + " " + row.getAttribute("data-state"));
        }
        return out;
    }

    @Test
    @Order(1)
    void aRequestThroughFlyProxyIsRefusedAndLoopbackIsServed() throws Exception {
        // What `serve --targets FILE` does with the file's targets.
        String missing = tenantB.url().replace(tenantB.name(), tenantB.name() + "_missing");
        fleet.configure(List.of(new Target("tenant_a", ConnectionSettings.fromUrl(tenantA.url(), "test"), null),
                new Target("tenant_b", ConnectionSettings.fromUrl(tenantB.url(), "test"), null),
                new Target("tenant_c", ConnectionSettings.fromUrl(missing, "test"), null)),
                target.catalog(), 2, Duration.ofSeconds(2));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> proxied = http.send(HttpRequest.newBuilder(URI.create(base.toString()))
                .header("Fly-Client-IP", "203.0.113.9").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(proxied.statusCode()).isEqualTo(403);
        assertThat(proxied.body()).doesNotContain("001_fix_missing_tables");
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create(base.toString()))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(direct.statusCode()).as(direct.body()).isEqualTo(200);
    }

    @Test
    @Order(2)
    void theGraphShowsEveryMigrationWithItsState() throws Exception {
        openAndWaitForGraph(BUNDLED.size());
        // Graph nodes: the <title> of each SVG group is its id, its text the migration's name.
        List<String> titles = texts("#graph-picture svg g.node > title");
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.node > title")).stream()
                .map(t -> t.getAttribute("textContent")).toList())
                .containsExactlyInAnyOrder("m1", "m7", "m10", "m12", "m13", "m14", "m15", "m16");
        String graphText = driver.findElement(By.cssSelector("#graph-picture svg")).getAttribute("textContent");
        BUNDLED.forEach(name -> assertThat(graphText).contains(name));
        assertThat(titles).hasSize(BUNDLED.size());
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.node.applied"))).hasSize(3);
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.node.pending"))).hasSize(5);
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.edge"))).isNotEmpty();

        assertThat(rowStates()).containsExactlyInAnyOrder("001_fix_missing_tables applied", "007_crm_system_schema applied",
                "010_fix_team_members_schema applied", "012_fix_production_schema pending",
                "013_agentic_rag_tables pending", "014_knowledge_graph_tables pending", "015_add_drive_columns pending",
                "016_add_summary_to_parent_docs pending");
        assertThat(driver.findElement(By.cssSelector(".count.applied .n")).getText()).isEqualTo("3");
        assertThat(driver.findElement(By.cssSelector(".count.pending .n")).getText()).isEqualTo("5");
        assertThat(driver.findElement(By.cssSelector(".count.failed .n")).getText()).isEqualTo("0");
        assertThat(driver.findElement(By.id("verdict")).getText()).isEqualTo("5 pending");
        assertThat(driver.findElement(By.id("last-recorded")).getText()).startsWith("010_fix_team_members_schema, applied at");

        List<String> targets = new ArrayList<>();
        for (WebElement row : driver.findElements(By.cssSelector("#fleet tbody tr"))) {
            targets.add(row.getAttribute("data-target") + " " + row.getAttribute("data-state"));
        }
        assertThat(targets).containsExactly("tenant_a up-to-date", "tenant_b pending", "tenant_c failed");
        assertThat(driver.findElement(By.cssSelector("#fleet tbody tr[data-target=tenant_b]")).getText())
                .contains("0 applied, 8 pending");
        assertThat(driver.findElement(By.cssSelector("#fleet tbody tr[data-target=tenant_c]")).getText())
                .contains("_missing").doesNotContain("password");

        screenshot(Path.of("target", "status-page.png"));
    }

    @Test
    @Order(3)
    void afterAReleaseThePageReloadsItselfAndTextFromTheDatabaseStaysText() throws Exception {
        openAndWaitForGraph(BUNDLED.size());
        String before = driver.findElement(By.tagName("body")).getAttribute("data-fingerprint");
        try (ConnectionPool database = Engines.database(db.url())) {
            Engines.migrator(Engines.bundledCatalog(), database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                    .await().indefinitely();
        }
        db.query("INSERT INTO schema_migrations (migration_name, migration_number, checksum, description, "
                + "execution_time_ms) VALUES ('099_<img src=x onerror=\"window.__xss=1\">', 99, repeat('0', 64), "
                + "'<script>window.__xss=2</script>', 1)");
        // The script polls /status.json every 10 s and reloads when the fingerprint changed.
        waitUntil(60, "the page to reload with the new state", d -> !before.equals(d.findElement(By.tagName("body")).getAttribute("data-fingerprint"))
                && d.findElements(By.cssSelector("#graph-picture svg g.node")).size() == BUNDLED.size() + 1);
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.node.applied"))).hasSize(BUNDLED.size());
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.node.pending"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector("#graph-picture svg g.node.unknown"))).hasSize(1);
        assertThat(driver.findElement(By.cssSelector(".count.unknown .n")).getText()).isEqualTo("1");
        String row = driver.findElement(By.cssSelector("#migrations tbody tr[data-state=unknown]")).getText();
        assertThat(row).contains("099_<img src=x onerror=\"window.__xss=1\">").contains("<script>window.__xss=2</script>");
        assertThat(driver.findElements(By.cssSelector("main img"))).isEmpty();
        assertThat(((JavascriptExecutor) driver).executeScript("return typeof window.__xss")).isEqualTo("undefined");
        assertThat(driver.findElements(By.tagName("script"))).hasSize(1);
    }

    /** The whole page at 1200 px wide, as tall as its content (DevTools' device metrics override). */
    private static void screenshot(Path file) throws IOException {
        Number height = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollHeight");
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", 1200,
                "height", Math.min(height.intValue(), 4000), "deviceScaleFactor", 1, "mobile", false));
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
}
