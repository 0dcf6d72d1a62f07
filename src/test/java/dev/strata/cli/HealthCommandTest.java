package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.Engines;
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

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata health}: the MicroProfile Health JSON on stdout and exit 0 (UP) or 1 (DOWN), for a
 * pending, an up-to-date, a drifted and an unreachable database.
 */
@Tag("cli")
@QuarkusMainTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthCommandTest {

    static TestDatabase db;

    @BeforeAll
    static void createDatabase() {
        db = TestDatabase.create("health");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private static JsonNode json(LaunchResult result) {
        try {
            return new ObjectMapper().readTree(result.getOutput());
        } catch (Exception e) {
            throw new AssertionError("stdout is not JSON: " + e.getMessage() + "\nstdout:\n" + result.getOutput()
                    + "\nstderr:\n" + result.getErrorOutput(), e);
        }
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode check : health.get("checks")) {
            if (name.equals(check.get("name").asText())) {
                return check;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private static List<String> names(JsonNode health) {
        List<String> names = new ArrayList<>();
        health.get("checks").forEach(c -> names.add(c.get("name").asText()));
        return names;
    }

    @Test
    @Order(1)
    void pendingMigrationsAreDown(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("health", "--url", db.url());
        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        JsonNode health = json(result);
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(check(health, "database").get("status").asText()).isEqualTo("UP");
        JsonNode migrations = check(health, "migrations");
        assertThat(migrations.get("status").asText()).isEqualTo("DOWN");
        assertThat(migrations.get("data").get("pending").asInt()).isEqualTo(8);
        assertThat(migrations.get("data").get("applied").asInt()).isZero();
        assertThat(migrations.get("data").get("pendingNumbers").asText()).contains("001")
                .isEqualTo("001,007,010,012,013,014,015,016");
        assertThat(check(health, "schema-history").get("status").asText()).as("nothing applied, nothing drifted")
                .isEqualTo("UP");
    }

    @Test
    @Order(2)
    void upToDateDatabaseIsUp(QuarkusMainLauncher launcher) {
        LaunchResult apply = launcher.launch("apply-all", "--url", db.url());
        assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();

        LaunchResult result = launcher.launch("health", "--url", db.url());
        assertThat(result.exitCode()).as(result.getOutput()).isZero();
        JsonNode health = json(result);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(names(health)).containsExactlyInAnyOrder("database", "migrations", "schema-history");
        health.get("checks").forEach(c -> assertThat(c.get("status").asText()).as(c.toString()).isEqualTo("UP"));
        JsonNode database = check(health, "database").get("data");
        assertThat(database.get("serverVersion").asText()).matches("\\d+(\\.\\d+)?.*");
        assertThat(database.get("roundTripMs").isIntegralNumber()).as(database.toString()).isTrue();
        assertThat(database.get("url").asText()).isEqualTo(db.redactedUrl());
        JsonNode migrations = check(health, "migrations").get("data");
        assertThat(migrations.get("applied").asInt()).isEqualTo(8);
        assertThat(migrations.get("pending").asInt()).isZero();
        assertThat(migrations.get("pendingNumbers").asText()).isEmpty();
    }

    @Test
    @Order(3)
    void changedChecksumIsASchemaHistoryProblem(QuarkusMainLauncher launcher) {
        db.query("UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE migration_number = 14");
        try {
            LaunchResult result = launcher.launch("health", "--url", db.url());
            assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
            JsonNode health = json(result);
            assertThat(health.get("status").asText()).isEqualTo("DOWN");
            JsonNode history = check(health, "schema-history");
            assertThat(history.get("status").asText()).isEqualTo("DOWN");
            assertThat(history.get("data").get("changed").asText()).isEqualTo("014");
            assertThat(check(health, "database").get("status").asText()).isEqualTo("UP");
        } finally {
            db.query("UPDATE schema_migrations SET checksum = '"
                    + Engines.bundledCatalog().find(14).orElseThrow().checksum() + "' WHERE migration_number = 14");
        }
        assertThat(launcher.launch("health", "--url", db.url()).exitCode()).isZero();
    }

    @Test
    @Order(4)
    void unreachableDatabaseIsDownWithoutThePassword(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("health", "--url", "postgresql://app:pw@127.0.0.1:1/x",
                "--connect-timeout", "300");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        JsonNode health = json(result);
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        JsonNode database = check(health, "database");
        assertThat(database.get("status").asText()).isEqualTo("DOWN");
        assertThat(database.get("data").get("error").asText()).contains("127.0.0.1:1");
        assertThat(database.get("data").get("url").asText()).isEqualTo("postgresql://app@127.0.0.1:1/x");
        assertThat(check(health, "migrations").get("status").asText()).isEqualTo("DOWN");
        assertThat(result.getOutput()).doesNotContain("pw");
        assertThat(result.getErrorOutput()).doesNotContain("pw");
    }
}
