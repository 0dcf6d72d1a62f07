package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.embedded.EmbeddedConfig;
import dev.strata.embedded.EmbeddedPostgres;
import dev.strata.embedded.ServerUser;
import dev.strata.report.ExitCodes;
import dev.strata.testing.EmbeddedServers;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata db start|status|url|stop} on a throw-away directory and port: output, JSON and
 * exit codes, and the started server taking the bundled migrations.
 */
@Tag("cli")
@QuarkusMainTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DbCommandTest {

    static Path dir;
    static int port;

    @BeforeAll
    static void directory() throws IOException {
        // Outside the checkout and enterable by others: as root the server runs as user postgres.
        Path parent = Path.of(System.getProperty("java.io.tmpdir"), "strata-tests-" + System.getProperty("user.name"));
        Files.createDirectories(parent);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        dir = parent.resolve("db-cli-" + UUID.randomUUID().toString().substring(0, 8));
        port = EmbeddedServers.freePort();
    }

    @AfterAll
    static void cleanUp() throws IOException {
        // A failed test may leave the server running: stop it through the driver.
        new EmbeddedPostgres(EmbeddedConfig.of(System.getenv(), null, dir, null), ServerUser.detect(System.getenv()),
                System.getenv(), note -> { }).stop();
        if (Files.exists(dir)) {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private String url() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres";
    }

    @Test
    @Order(1)
    void statusBeforeTheFirstStart(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("db", "status", "--data-dir", dir.toString(), "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("\"state\" : \"not initialised\"").contains("\"url\" : null");
    }

    @Test
    @Order(2)
    void startPrintsTheUrlAndKeepsThePort(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("db", "start", "--data-dir", dir.toString(), "--port", String.valueOf(port));
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput().strip()).isEqualTo(url());
        assertThat(result.getErrorOutput()).contains("started at " + url()).doesNotContain("WARN");

        LaunchResult again = launcher.launch("db", "start", "--data-dir", dir.toString(), "--json");
        assertThat(again.exitCode()).isZero();
        assertThat(again.getOutput()).contains("\"started\" : false").contains("\"state\" : \"running\"")
                .contains("\"port\" : " + port);
        assertThat(launcher.launch("db", "url", "--data-dir", dir.toString()).getOutput().strip()).isEqualTo(url());
        assertThat(launcher.launch("db", "status", "--data-dir", dir.toString()).getOutput())
                .contains("State:  running (pid ").contains("URL:    " + url());
    }

    @Test
    @Order(3)
    void theStartedServerTakesTheMigrations(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("apply-all", "--url", url());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains("Successfully applied 8 migrations to " + url());
    }

    @Test
    @Order(4)
    void stopKeepsTheData(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("db", "stop", "--data-dir", dir.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("stopped; data in " + dir);
        assertThat(launcher.launch("db", "stop", "--data-dir", dir.toString()).getOutput()).contains("is not running");
        assertThat(dir.resolve("data/PG_VERSION")).exists();
        assertThat(launcher.launch("db", "status", "--data-dir", dir.toString()).getOutput()).contains("State:  stopped");
    }

    @Test
    @Order(5)
    void usageErrorsExitTwo(QuarkusMainLauncher launcher) {
        assertThat(launcher.launch("db").exitCode()).isEqualTo(ExitCodes.USAGE);
        LaunchResult bad = launcher.launch("db", "start", "--data-dir", dir.toString(), "--pg-version", "17");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.getErrorOutput()).contains("'17' is not a binaries version such as 17.5.0");
    }
}
