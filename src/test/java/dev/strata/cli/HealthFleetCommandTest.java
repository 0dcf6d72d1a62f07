package dev.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.report.ExitCodes;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata health --targets FILE} and {@code --targets-query SQL} on real databases created by
 * the test, with a Flyway folder as the catalog ({@code --location} twice, {@code --layout flyway}):
 * one verdict, DOWN naming the targets that are down and why (an unreachable one by its redacted
 * URL, never its password), the JSON lines, the exit codes.
 */
@Tag("cli")
@QuarkusMainTest
class HealthFleetCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<TestDatabase> databases = new ArrayList<>();

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::close);
    }

    private TestDatabase database() {
        TestDatabase db = TestDatabase.create("h2health");
        databases.add(db);
        return db;
    }

    /** A Flyway project in two locations: V1 in sql/, V2 in extra/. */
    private String[] catalog() throws IOException {
        Path sql = Files.createDirectories(dir.resolve("sql"));
        Path extra = Files.createDirectories(dir.resolve("extra"));
        Files.writeString(sql.resolve("V1__accounts.sql"), "CREATE TABLE accounts (id int PRIMARY KEY, name text);\n");
        Files.writeString(extra.resolve("V2__notes.sql"), "CREATE TABLE notes (id int PRIMARY KEY, body text);\n");
        return new String[] {"--location", sql.toString(), "--location", extra.toString(), "--layout", "flyway"};
    }

    private static String[] args(String[] catalog, String... more) {
        List<String> all = new ArrayList<>(List.of(more));
        all.addAll(List.of(catalog));
        return all.toArray(String[]::new);
    }

    private Path targetsFile(List<String> lines) throws IOException {
        return Files.writeString(dir.resolve("targets.txt"), String.join("\n", lines) + "\n");
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static List<JsonNode> jsonLines(String output) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : output.strip().split("\n")) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void brokenPendingAndDriftedTargetsMakeTheFleetDownNamingThem(QuarkusMainLauncher launcher) throws IOException {
        String[] catalog = catalog();
        TestDatabase up = database();
        TestDatabase pending = database();
        TestDatabase drifted = database();
        assertThat(launcher.launch(args(catalog, "apply-all", "--url", up.url())).exitCode()).isZero();
        assertThat(launcher.launch(args(catalog, "apply-all", "--url", drifted.url())).exitCode()).isZero();
        drifted.query("UPDATE schema_migrations SET checksum = 'edited' WHERE migration_name = 'V2__notes'");
        String broken = "postgresql://postgres:s3cret-pw@127.0.0.1:1/nowhere";
        Path file = targetsFile(List.of("# the fleet", "", up.url() + " tenant_up", pending.url() + "  tenant_pending",
                drifted.url() + " tenant_drifted", broken));

        LaunchResult result = launcher.launch(args(catalog, "health", "--targets", file.toString(), "--parallel", "2"));

        String out = result.getOutput();
        assertThat(result.exitCode()).as(out + result.getErrorOutput()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(out).containsPattern("tenant_up \\.+ UP +up to date \\(2 applied, 0 pending\\)")
                .containsPattern("tenant_pending \\.+ DOWN +0 applied, 2 pending")
                .containsPattern("tenant_drifted \\.+ DOWN +history needs attention: 1 changed");
        assertThat(out).contains("Down targets:").contains("tenant_pending: migrations: 0 applied, 2 pending")
                .contains("tenant_drifted: schema-history: history needs attention")
                .contains("postgresql://postgres@127.0.0.1:1/nowhere: database: ");
        assertThat(lastLine(out)).startsWith("Health: DOWN: 3 of 4 targets down (")
                .contains("tenant_pending").contains("tenant_drifted").contains("postgresql://postgres@127.0.0.1:1/nowhere")
                .doesNotContain("tenant_up");
        assertThat(out + result.getErrorOutput()).doesNotContain("s3cret-pw");
    }

    @Test
    void jsonGivesOneObjectPerTargetAndTheVerdictLast(QuarkusMainLauncher launcher) throws IOException {
        String[] catalog = catalog();
        TestDatabase up = database();
        TestDatabase pending = database();
        assertThat(launcher.launch(args(catalog, "apply-all", "--url", up.url())).exitCode()).isZero();
        Path file = targetsFile(List.of(up.url() + " tenant_up", pending.url() + " tenant_pending"));

        LaunchResult result = launcher.launch(args(catalog, "health", "--targets", file.toString(), "--json"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        List<JsonNode> lines = jsonLines(result.getOutput());
        assertThat(lines).hasSize(3);
        JsonNode pendingLine = lines.subList(0, 2).stream().filter(n -> n.get("target").asText().equals("tenant_pending"))
                .findFirst().orElseThrow();
        assertThat(pendingLine.get("status").asText()).isEqualTo("DOWN");
        assertThat(pendingLine.get("pending").asInt()).isEqualTo(2);
        assertThat(pendingLine.get("reason").asText()).isEqualTo("migrations: 0 applied, 2 pending");
        JsonNode upLine = lines.subList(0, 2).stream().filter(n -> n.get("target").asText().equals("tenant_up"))
                .findFirst().orElseThrow();
        assertThat(upLine.get("status").asText()).isEqualTo("UP");
        assertThat(upLine.get("reason").isNull()).isTrue();
        JsonNode health = lines.get(2).get("health");
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.get("targets").asInt()).isEqualTo(2);
        assertThat(health.get("up").asInt()).isEqualTo(1);
        assertThat(health.get("down").asInt()).isEqualTo(1);
        assertThat(health.get("downTargets").get(0).get("target").asText()).isEqualTo("tenant_pending");
        assertThat(health.get("exitCode").asInt()).isEqualTo(ExitCodes.MIGRATION_FAILED);
    }

    @Test
    void aRegistryQueryOfHealthyTargetsIsUp(QuarkusMainLauncher launcher) throws IOException {
        String[] catalog = catalog();
        TestDatabase registry = database();
        TestDatabase a = database();
        TestDatabase b = database();
        for (TestDatabase db : List.of(a, b)) {
            assertThat(launcher.launch(args(catalog, "apply-all", "--url", db.url())).exitCode()).isZero();
        }
        registry.query("CREATE TABLE tenants (url text, label text)");
        registry.query("INSERT INTO tenants VALUES ('" + a.url() + "', 'acme'), ('" + b.url() + "', 'globex')");

        LaunchResult result = launcher.launch(args(catalog, "health", "--url", registry.url(),
                "--targets-query", "SELECT url, label FROM tenants ORDER BY label"));

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).containsPattern("acme \\.+ UP").containsPattern("globex \\.+ UP")
                .doesNotContain("Down targets:");
        assertThat(lastLine(result.getOutput())).isEqualTo("Health: UP: 2 targets up");
    }

    @Test
    void rolloutOptionsOtherThanParallelAreRefused(QuarkusMainLauncher launcher) throws IOException {
        String[] catalog = catalog();
        TestDatabase up = database();
        Path file = targetsFile(List.of(up.url() + " tenant_up"));

        LaunchResult result = launcher.launch(args(catalog, "health", "--targets", file.toString(), "--canary", "1"));

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("only --parallel applies to health --targets");
    }
}
