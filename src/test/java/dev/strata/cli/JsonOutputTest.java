package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command that talks JSON, on one fresh database, in the order a user would meet them:
 * stdout is exactly one JSON document that parses, with the documented keys (JsonShapes), and the
 * exit code is the documented one. Errors with --json are a JSON error document on stdout.
 */
@Tag("cli")
@QuarkusMainTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JsonOutputTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> ENTRY_KEYS = List.of("number", "name", "file", "dependencies", "state",
            "checksum", "executedAt");
    private static final List<String> BUNDLED = List.of("001_fix_missing_tables", "007_crm_system_schema",
            "010_fix_team_members_schema", "012_fix_production_schema", "013_agentic_rag_tables",
            "014_knowledge_graph_tables", "015_add_drive_columns", "016_add_summary_to_parent_docs");

    static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("json");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    /** stdout as JSON; fails with both streams when it does not parse. */
    private static JsonNode json(LaunchResult result) {
        try {
            return MAPPER.readTree(result.getOutput());
        } catch (Exception e) {
            throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\nstdout:\n" + result.getOutput()
                    + "\nstderr:\n" + result.getErrorOutput(), e);
        }
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }

    private LaunchResult launch(QuarkusMainLauncher launcher, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--url");
        all.add(db.url());
        return launcher.launch(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void statusJsonOnAFreshDatabase(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "status", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("database", "location", "migrations", "applied", "pending", "changed",
                "failed", "unknown", "upToDate", "lastApplied", "pendingMigrations", "changedMigrations",
                "failedMigrations", "unknownMigrations", "historyTable", "adopted");
        assertThat(json.get("historyTable").asText()).isEqualTo("schema_migrations");
        assertThat(json.get("adopted")).isEmpty();
        assertThat(json.get("database").asText()).isEqualTo(db.redactedUrl());
        assertThat(json.get("location").asText()).isEqualTo("classpath:db/migrations");
        assertThat(json.get("migrations").asInt()).isEqualTo(8);
        assertThat(json.get("applied").asInt()).isZero();
        assertThat(json.get("pending").asInt()).isEqualTo(8);
        assertThat(json.get("upToDate").asBoolean()).isFalse();
        assertThat(json.get("lastApplied").isNull()).isTrue();
        assertThat(texts(json.get("pendingMigrations"))).containsExactlyElementsOf(BUNDLED);
    }

    @Test
    @Order(2)
    void statusJsonWithExitCodeStillPrintsJsonAndExitsThree(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "status", "--json", "--exit-code");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.PENDING);
        assertThat(json(result).get("pending").asInt()).isEqualTo(8);
    }

    @Test
    @Order(3)
    void listJson(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "list", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactlyInAnyOrder("migrations", "layout");
        assertThat(json.get("layout").asText()).isEqualTo("strata");
        JsonNode migrations = json.get("migrations");
        assertThat(migrations.size()).isEqualTo(8);
        List<String> names = new ArrayList<>();
        for (JsonNode m : migrations) {
            assertThat(keys(m)).containsExactlyElementsOf(ENTRY_KEYS);
            assertThat(m.get("state").asText()).isEqualTo("pending");
            assertThat(m.get("checksum").asText()).matches("[0-9a-f]{64}");
            assertThat(m.get("executedAt").isNull()).isTrue();
            names.add(m.get("name").asText());
        }
        assertThat(names).containsExactlyElementsOf(BUNDLED);
        JsonNode fifteen = migrations.get(6);
        assertThat(fifteen.get("number").asInt()).isEqualTo(15);
        assertThat(fifteen.get("file").asText()).isEqualTo("db/migrations/015_add_drive_columns.sql");
        assertThat(texts(fifteen.get("dependencies"))).containsExactly("13");
    }

    @Test
    @Order(4)
    void infoJson(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "info", "12", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsAll(ENTRY_KEYS).contains("origin", "description", "dependents",
                "transactional", "verify", "sizeBytes", "recordedChecksum", "installedBy", "kind", "executionTimeMs", "error");
        assertThat(json.get("number").asInt()).isEqualTo(12);
        assertThat(json.get("name").asText()).isEqualTo("012_fix_production_schema");
        assertThat(json.get("file").asText()).isEqualTo("db/migrations/012_fix_production_schema.sql");
        assertThat(texts(json.get("dependencies"))).containsExactly("7");
        assertThat(json.get("dependents").size()).isZero();
        assertThat(json.get("state").asText()).isEqualTo("pending");
        assertThat(json.get("origin").asText()).isEqualTo("crm.migrations.Migration012");
        assertThat(json.get("verify").asText()).isEqualTo("crm.migrations.Migration012#verify");
        assertThat(json.get("transactional").asBoolean()).isTrue();
        assertThat(json.get("sizeBytes").asLong()).isPositive();
        assertThat(json.get("recordedChecksum").isNull()).isTrue();
    }

    @Test
    @Order(5)
    void applyAllDryRunJsonChangesNothing(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "apply-all", "--dry-run", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("database", "outcome", "plan", "applied", "totalMs", "notes");
        assertThat(json.get("outcome").asText()).isEqualTo("dry-run");
        assertThat(texts(json.get("plan"))).containsExactlyElementsOf(BUNDLED);
        assertThat(json.get("applied").size()).isZero();
        assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).as("a dry run creates nothing").isNull();
    }

    @Test
    @Order(6)
    void applyWithDependenciesJsonAppliesSevenThenTwelve(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "apply", "12", "--with-dependencies", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("database", "outcome", "plan", "applied", "totalMs", "notes");
        assertThat(json.get("outcome").asText()).isEqualTo("applied");
        JsonNode applied = json.get("applied");
        assertThat(applied.size()).isEqualTo(2);
        assertThat(keys(applied.get(0))).containsExactly("number", "name", "sqlMs", "verifyMs", "totalMs");
        assertThat(applied.get(0).get("name").asText()).isEqualTo("007_crm_system_schema");
        assertThat(applied.get(1).get("name").asText()).isEqualTo("012_fix_production_schema");
        assertThat(applied.get(1).get("number").asInt()).isEqualTo(12);
        assertThat(db.query("SELECT migration_name FROM schema_migrations ORDER BY id"))
                .containsExactly("007_crm_system_schema", "012_fix_production_schema");
    }

    @Test
    @Order(7)
    void applyAllJsonAppliesTheRest(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "apply-all", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(json.get("outcome").asText()).isEqualTo("applied");
        List<String> applied = new ArrayList<>();
        json.get("applied").forEach(step -> {
            applied.add(step.get("name").asText());
            // the whole transaction contains its SQL and its verify step
            assertThat(step.get("totalMs").isIntegralNumber()).as(step.toString()).isTrue();
            assertThat(step.get("totalMs").asLong()).as(step.toString())
                    .isGreaterThanOrEqualTo(step.get("sqlMs").asLong() + step.get("verifyMs").asLong());
        });
        assertThat(applied).containsExactly("001_fix_missing_tables", "010_fix_team_members_schema",
                "013_agentic_rag_tables", "014_knowledge_graph_tables", "015_add_drive_columns",
                "016_add_summary_to_parent_docs");
        assertThat(json.get("database").asText()).isEqualTo(db.redactedUrl());

        LaunchResult again = launch(launcher, "apply-all", "--json");
        assertThat(again.exitCode()).isZero();
        JsonNode second = json(again);
        assertThat(second.get("outcome").asText()).isEqualTo("up-to-date");
        assertThat(second.get("applied").size()).isZero();
    }

    @Test
    @Order(8)
    void statusJsonWhenUpToDate(QuarkusMainLauncher launcher) {
        JsonNode json = json(launch(launcher, "status", "--json"));
        assertThat(json.get("applied").asInt()).isEqualTo(8);
        assertThat(json.get("pending").asInt()).isZero();
        assertThat(json.get("upToDate").asBoolean()).isTrue();
        assertThat(json.get("lastApplied").get("name").asText()).isEqualTo("016_add_summary_to_parent_docs");
        assertThat(json.get("lastApplied").get("executedAt").asText()).isNotBlank();
    }

    @Test
    @Order(9)
    void validateJson(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "validate", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("valid", "verified", "pending", "problems");
        assertThat(json.get("valid").asBoolean()).isTrue();
        assertThat(json.get("verified").asInt()).isEqualTo(8);
        assertThat(json.get("pending").asInt()).isZero();
        assertThat(json.get("problems").size()).isZero();
    }

    @Test
    @Order(10)
    void scanJson(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("scan", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("errors", "warnings", "findings");
        assertThat(json.get("errors").asInt()).isZero();
        assertThat(json.get("warnings").asInt()).isEqualTo(json.get("findings").size());
        for (JsonNode finding : json.get("findings")) {
            assertThat(keys(finding)).containsExactly("file", "line", "column", "severity", "rule", "message", "hint");
            assertThat(finding.get("severity").asText()).isEqualTo("warning");
        }
    }

    @Test
    @Order(11)
    void baselineJsonAfterApplyRecordsNothingNew(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "baseline", "--up-to", "16", "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("upTo", "recorded", "adopted", "alreadyRecorded");
        assertThat(json.get("upTo").asInt()).isEqualTo(16);
        assertThat(json.get("recorded").size()).isZero();
        assertThat(json.get("adopted").size()).isZero();
        assertThat(texts(json.get("alreadyRecorded"))).containsExactlyElementsOf(BUNDLED);
    }

    @Test
    @Order(12)
    void repairJsonWithNothingToRepairIsAJsonErrorDocument(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "repair", "7", "--json");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("error");
        JsonNode error = json.get("error");
        assertThat(error.get("exitCode").asInt()).isEqualTo(ExitCodes.USAGE);
        assertThat(error.get("type").asText()).isEqualTo("configuration");
        assertThat(error.get("message").asText()).contains("nothing to repair").contains("007_crm_system_schema");
        assertThat(result.getErrorOutput()).contains("nothing to repair");
    }

    @Test
    @Order(13)
    void createJsonWithALocation(QuarkusMainLauncher launcher) throws Exception {
        LaunchResult result = launcher.launch("create", "Add invoices", "--location", dir.toString(), "--json");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(keys(json)).containsExactly("sql", "class");
        assertThat(json.get("sql").asText()).isEqualTo(dir.resolve("001_add_invoices.sql").toString());
        assertThat(json.get("class").isNull()).isTrue();
        assertThat(Files.exists(dir.resolve("001_add_invoices.sql"))).isTrue();
    }

    @Test
    @Order(14)
    void healthIsAlwaysJson(QuarkusMainLauncher launcher) {
        LaunchResult result = launch(launcher, "health");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        JsonNode json = json(result);
        assertThat(json.get("status").asText()).isEqualTo("UP");
        assertThat(json.get("checks").size()).isEqualTo(3);
    }

    @Test
    @Order(15)
    void connectionErrorWithJsonIsAJsonErrorDocumentWithoutThePassword(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--json", "--url", "postgresql://u:pw@127.0.0.1:1/x",
                "--connect-timeout", "300");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        JsonNode json = json(result);
        JsonNode error = json.get("error");
        assertThat(error.get("exitCode").asInt()).isEqualTo(ExitCodes.USAGE);
        assertThat(error.get("type").asText()).isEqualTo("connection");
        assertThat(error.get("message").asText()).contains("127.0.0.1:1");
        assertThat(result.getOutput()).doesNotContain("pw");
        assertThat(result.getErrorOutput()).doesNotContain("pw");
    }
}
