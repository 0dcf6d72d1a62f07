package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleets on real databases created by the test: {@code --targets}, {@code --targets-query},
 * schema-per-tenant, stop/continue, canary, {@code --parallel} and the report.
 */
@Tag("cli")
@QuarkusMainTest
class FleetCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<TestDatabase> databases = new ArrayList<>();

    @AfterEach
    void dropDatabases() {
        databases.forEach(TestDatabase::close);
    }

    private List<TestDatabase> tenants(int n) {
        List<TestDatabase> created = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            created.add(TestDatabase.create("fleet"));
        }
        databases.addAll(created);
        return created;
    }

    /** Two migrations; the second fails where a table "notes" exists already (42P07). */
    private Path catalog(String secondExtra) throws IOException {
        Path location = Files.createDirectories(dir.resolve("migrations"));
        Files.writeString(location.resolve("001_accounts.sql"), "CREATE TABLE accounts (id int PRIMARY KEY, name text);\n");
        Files.writeString(location.resolve("002_notes.sql"), "-- Dependencies: 1\n" + secondExtra
                + "CREATE TABLE notes (id int PRIMARY KEY, body text);\n");
        return location;
    }

    private Path targetsFile(List<String> lines) throws IOException {
        return Files.writeString(dir.resolve("targets.txt"), String.join("\n", lines) + "\n");
    }

    private static String label(int i) {
        return String.format("tenant_%02d", i + 1);
    }

    private static List<String> labelled(List<TestDatabase> dbs) {
        List<String> lines = new ArrayList<>();
        lines.add("# tenants of the test");
        lines.add("");
        for (int i = 0; i < dbs.size(); i++) {
            lines.add(dbs.get(i).url() + "   " + label(i));
        }
        return lines;
    }

    private static List<String> recorded(TestDatabase db, String schema) {
        if (db.value("SELECT to_regclass('" + schema + ".schema_migrations')::text") == null) {
            return List.of();
        }
        return db.query("SELECT migration_name FROM " + schema + ".schema_migrations ORDER BY id");
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
    void aBrokenTenantFailsAloneAndIsNamedAndARerunOnlyRetriesIt(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(12);
        dbs.get(6).query("CREATE TABLE notes (id int)");
        List<String> lines = labelled(dbs.subList(0, 11));
        // The twelfth has no label and a password in its URL: it is named by the redacted URL.
        lines.add(dbs.get(11).url().replace("postgres@", "postgres:s3cret-pw@"));
        Path file = targetsFile(lines);
        Path location = catalog("");

        LaunchResult first = launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString(),
                "--on-error", "continue");

        assertThat(first.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(lastLine(first.getOutput())).isEqualTo("Fleet: 12 targets: 11 migrated, 1 failed (tenant_07)");
        assertThat(first.getOutput()).containsPattern("tenant_07 \\.+ failed at 002_notes: 42P07 relation \"notes\" already exists")
                .contains(dbs.get(11).redactedUrl());
        assertThat(first.getOutput() + first.getErrorOutput()).doesNotContain("s3cret-pw");
        for (int i = 0; i < 12; i++) {
            assertThat(recorded(dbs.get(i), "public")).as(label(i))
                    .isEqualTo(i == 6 ? List.of("001_accounts") : List.of("001_accounts", "002_notes"));
        }

        dbs.get(6).query("DROP TABLE notes");
        LaunchResult rerun = launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString(),
                "--json");

        assertThat(rerun.exitCode()).isEqualTo(ExitCodes.OK);
        List<JsonNode> docs = jsonLines(rerun.getOutput());
        assertThat(docs).hasSize(13);
        Map<String, String> outcomes = docs.subList(0, 12).stream()
                .collect(Collectors.toMap(d -> d.get("target").asText(), d -> d.get("outcome").asText()));
        assertThat(outcomes).hasSize(12).containsEntry("tenant_07", "migrated");
        assertThat(outcomes.values().stream().filter("upToDate"::equals).count()).isEqualTo(11);
        JsonNode totals = docs.get(12).get("fleet");
        assertThat(totals.get("targets").asInt()).isEqualTo(12);
        assertThat(totals.get("migrated").asInt()).isEqualTo(1);
        assertThat(totals.get("upToDate").asInt()).isEqualTo(11);
        assertThat(totals.get("failed").asInt()).isZero();
        assertThat(totals.get("exitCode").asInt()).isZero();
        assertThat(recorded(dbs.get(6), "public")).containsExactly("001_accounts", "002_notes");
    }

    @Test
    void stopStartsNoTargetAfterAFailureAndTheUntouchedOnesStayUntouched(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(5);
        dbs.get(0).query("CREATE TABLE notes (id int)");
        Path file = targetsFile(labelled(dbs));
        Path location = catalog("");

        LaunchResult result = launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString(),
                "--parallel", "1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 5 targets: 1 failed (tenant_01), 4 not started");
        for (TestDatabase db : dbs.subList(1, 5)) {
            assertThat(db.value("SELECT to_regclass('public.schema_migrations')::text")).isNull();
        }

        LaunchResult dryRun = launcher.launch("apply-all", "--dry-run", "--targets", file.toString(), "--location",
                location.toString(), "--on-error", "continue", "--json");
        assertThat(dryRun.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode totals = jsonLines(dryRun.getOutput()).get(5).get("fleet");
        assertThat(totals.get("pending").asInt()).isEqualTo(5);
        for (TestDatabase db : dbs.subList(1, 5)) {
            assertThat(db.value("SELECT to_regclass('public.accounts')::text")).isNull();
        }
    }

    @Test
    void aFailedCanaryStopsTheRolloutEvenWithContinue(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(6);
        dbs.get(1).query("CREATE TABLE notes (id int)");
        Path file = targetsFile(labelled(dbs));

        LaunchResult result = launcher.launch("apply-all", "--targets", file.toString(), "--location",
                catalog("").toString(), "--canary", "2", "--on-error", "continue");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(lastLine(result.getOutput()))
                .isEqualTo("Fleet: 6 targets: 1 migrated, 1 failed (tenant_02), 4 not started");
        assertThat(recorded(dbs.get(0), "public")).hasSize(2);
        for (TestDatabase db : dbs.subList(2, 6)) {
            assertThat(db.value("SELECT to_regclass('public.schema_migrations')::text")).isNull();
        }
    }

    @Test
    void aRegistryQueryGivesSchemaTenantsAndDatabaseTenants(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(2);
        TestDatabase registry = dbs.get(0);
        TestDatabase other = dbs.get(1);
        registry.query("CREATE SCHEMA acme; CREATE SCHEMA globex; CREATE TABLE tenants (target text, label text);"
                + "INSERT INTO tenants VALUES ('acme', 'tenant_acme'), ('globex', 'tenant_globex'),"
                + " ('" + other.url() + "', 'tenant_own_db')");
        Path location = catalog("");

        LaunchResult result = launcher.launch("apply-all", "--url", registry.url(), "--targets-query",
                "SELECT target, label FROM tenants ORDER BY label", "--location", location.toString());

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 3 targets: 3 migrated");
        assertThat(recorded(registry, "acme")).containsExactly("001_accounts", "002_notes");
        assertThat(recorded(registry, "globex")).containsExactly("001_accounts", "002_notes");
        assertThat(registry.value("SELECT to_regclass('acme.notes')::text")).isEqualTo("acme.notes");
        assertThat(registry.value("SELECT to_regclass('public.accounts')::text")).isNull();
        assertThat(registry.value("SELECT to_regclass('public.schema_migrations')::text")).isNull();
        assertThat(recorded(other, "public")).containsExactly("001_accounts", "002_notes");

        LaunchResult status = launcher.launch("status", "--url", registry.url(), "--targets-query",
                "SELECT target, label FROM tenants", "--location", location.toString(), "--exit-code");
        assertThat(status.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(lastLine(status.getOutput())).isEqualTo("Fleet: 3 targets: 3 up to date");
    }

    @Test
    void schemaTenantsFromATargetsFileKeepTheirOwnHistory(QuarkusMainLauncher launcher) throws IOException {
        TestDatabase db = tenants(1).get(0);
        db.query("CREATE SCHEMA t1; CREATE SCHEMA t2; CREATE TABLE t2.notes (id int)");
        Path file = targetsFile(List.of(db.url() + " schema=t1 first", db.url() + " schema=t2 second"));

        LaunchResult result = launcher.launch("apply-all", "--targets", file.toString(), "--location",
                catalog("").toString(), "--on-error", "continue");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 2 targets: 1 migrated, 1 failed (second)");
        assertThat(recorded(db, "t1")).containsExactly("001_accounts", "002_notes");
        assertThat(recorded(db, "t2")).containsExactly("001_accounts");
    }

    @Test
    void schemaTenantsOfOneDatabaseRunOneAfterAnotherWhileOtherDatabasesRunBesideThem(QuarkusMainLauncher launcher)
            throws Exception {
        List<TestDatabase> dbs = tenants(2);
        TestDatabase shared = dbs.get(0);
        TestDatabase own = dbs.get(1);
        shared.query("CREATE SCHEMA s1; CREATE SCHEMA s2; CREATE SCHEMA s3; CREATE SCHEMA s4");
        Path file = targetsFile(List.of(shared.url() + " schema=s1 s1", shared.url() + " schema=s2 s2",
                shared.url() + " schema=s3 s3", shared.url() + " schema=s4 s4", own.url() + " own"));
        Path location = catalog("SELECT pg_sleep(0.4);\n");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger mostShared = new AtomicInteger();
        AtomicInteger mostBoth = new AtomicInteger();
        Thread probe = new Thread(() -> {
            while (running.get()) {
                String[] n = own.value("SELECT count(*) FILTER (WHERE datname = '" + shared.name() + "') || ' ' || "
                        + "count(DISTINCT datname) FROM pg_stat_activity WHERE application_name = 'strata' "
                        + "AND datname IN ('" + shared.name() + "', '" + own.name() + "')").split(" ");
                mostShared.accumulateAndGet(Integer.parseInt(n[0]), Math::max);
                mostBoth.accumulateAndGet(Integer.parseInt(n[1]), Math::max);
            }
        });
        probe.start();
        LaunchResult result;
        try {
            result = launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString(),
                    "--parallel", "4", "--lock-timeout", "1000");
        } finally {
            running.set(false);
            probe.join();
        }

        assertThat(result.exitCode()).as(result.getOutput() + result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 5 targets: 5 migrated");
        // the migration lock is per database: its tenants never wait for each other's lock
        // (each takes ~0.9 s, longer than --lock-timeout would allow a waiter)
        assertThat(mostShared.get()).as("strata sessions at once in the shared database").isEqualTo(1);
        assertThat(mostBoth.get()).as("databases with a strata session at once").isEqualTo(2);
        for (String schema : List.of("s1", "s2", "s3", "s4")) {
            assertThat(recorded(shared, schema)).containsExactly("001_accounts", "002_notes");
        }
    }

    @Test
    void parallelBoundsTheTargetsWithOpenSessions(QuarkusMainLauncher launcher) throws Exception {
        List<TestDatabase> dbs = tenants(6);
        Path file = targetsFile(labelled(dbs));
        Path location = catalog("SELECT pg_sleep(1.2);\n");
        String names = dbs.stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(","));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger most = new AtomicInteger();
        Map<String, Integer> seen = new HashMap<>();
        Thread probe = new Thread(() -> {
            while (running.get()) {
                String n = dbs.get(0).value("SELECT count(DISTINCT datname) FROM pg_stat_activity WHERE "
                        + "application_name = 'strata' AND datname IN (" + names + ")");
                most.accumulateAndGet(Integer.parseInt(n), Math::max);
                synchronized (seen) {
                    seen.merge(n, 1, Integer::sum);
                }
            }
        });
        probe.start();
        LaunchResult result;
        try {
            result = launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString(),
                    "--parallel", "2");
        } finally {
            running.set(false);
            probe.join();
        }

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 6 targets: 6 migrated");
        assertThat(most.get()).as("targets with a strata session at once, observed %s", seen).isEqualTo(2);
    }

    @Test
    void aFleetWithParallelThreeNeverHasMoreThanThreeStrataSessionsOpen(QuarkusMainLauncher launcher) throws Exception {
        List<TestDatabase> dbs = tenants(8);
        Path file = targetsFile(labelled(dbs));
        Path location = catalog("SELECT pg_sleep(0.5);\n");
        String names = dbs.stream().map(d -> "'" + d.name() + "'").collect(Collectors.joining(","));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger most = new AtomicInteger();
        Thread probe = new Thread(() -> {
            while (running.get()) {
                String n = dbs.get(0).value("SELECT count(*) FROM pg_stat_activity WHERE "
                        + "application_name = 'strata' AND datname IN (" + names + ")");
                most.accumulateAndGet(Integer.parseInt(n), Math::max);
            }
        });
        probe.start();
        LaunchResult result;
        try {
            result = launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString(),
                    "--parallel", "3");
        } finally {
            running.set(false);
            probe.join();
        }

        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.OK);
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 8 targets: 8 migrated");
        // one session per running target (the lock, the migrations and the history on it), so
        // the connections never exceed --parallel; at least two at once shows the fleet ran in parallel
        assertThat(most.get()).as("strata sessions open at once in the fleet's databases").isBetween(2, 3);
    }

    @Test
    void aScanErrorStopsBeforeAnyTargetIsTouched(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(2);
        Path file = targetsFile(labelled(dbs));

        LaunchResult result = launcher.launch("apply-all", "--targets", file.toString(), "--location",
                catalog("DROP SCHEMA public CASCADE;\n").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.SAFETY_VIOLATION);
        assertThat(result.getOutput()).doesNotContain("Fleet:");
        for (TestDatabase db : dbs) {
            assertThat(db.value("SELECT to_regclass('public.schema_migrations')::text")).isNull();
        }
    }

    @Test
    void aBadTargetsLineIsAUsageErrorNamingFileAndLine(QuarkusMainLauncher launcher) throws IOException {
        Path file = targetsFile(List.of("# header", "mysql://nope/db tenant_x"));

        LaunchResult result = launcher.launch("status", "--targets", file.toString(), "--location", catalog("").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains(file + ":2");
    }

    @Test
    void maxFailuresStopsStartingTargetsWithContinue(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(5);
        for (TestDatabase db : dbs.subList(0, 3)) {
            db.query("CREATE TABLE notes (id int)");
        }
        Path file = targetsFile(labelled(dbs));

        LaunchResult result = launcher.launch("apply-all", "--targets", file.toString(), "--location",
                catalog("").toString(), "--parallel", "1", "--on-error", "continue", "--max-failures", "2");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(lastLine(result.getOutput()))
                .isEqualTo("Fleet: 5 targets: 2 failed (tenant_01, tenant_02), 3 not started");
        assertThat(recorded(dbs.get(2), "public")).isEmpty();
    }

    @Test
    void onlyConnectionFailuresExitWithTwoAndNameTheTargets(QuarkusMainLauncher launcher) throws IOException {
        TestDatabase db = tenants(1).get(0);
        String missing = db.url().substring(0, db.url().lastIndexOf('/') + 1) + db.name() + "_missing";
        Path file = targetsFile(List.of(missing + " gone", db.url() + " here"));

        LaunchResult result = launcher.launch("status", "--targets", file.toString(), "--location", catalog("").toString(),
                "--on-error", "continue");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getOutput()).containsPattern("gone \\.+ database " + db.name() + "_missing does not exist");
        assertThat(lastLine(result.getOutput())).isEqualTo("Fleet: 2 targets: 1 pending, 1 failed (gone)");
    }

    @Test
    void rolloutOptionsAreCheckedBeforeAnyTarget(QuarkusMainLauncher launcher) throws IOException {
        Path file = targetsFile(List.of("postgresql://postgres@127.0.0.1:5432/postgres one"));

        LaunchResult zero = launcher.launch("apply-all", "--targets", file.toString(), "--parallel", "0");
        LaunchResult alone = launcher.launch("status", "--parallel", "3");

        assertThat(zero.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(zero.getErrorOutput()).contains("--parallel must be 1 or more");
        assertThat(alone.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(alone.getErrorOutput()).contains("add --targets FILE or --targets-query SQL");
    }

    @Test
    void validateAndListOverAFleetNameTheTargetWhoseHistoryIsOff(QuarkusMainLauncher launcher) throws IOException {
        List<TestDatabase> dbs = tenants(2);
        Path file = targetsFile(labelled(dbs));
        Path location = catalog("");
        assertThat(launcher.launch("apply-all", "--targets", file.toString(), "--location", location.toString())
                .exitCode()).isEqualTo(ExitCodes.OK);
        dbs.get(1).query("INSERT INTO schema_migrations (migration_name, migration_number, checksum) "
                + "VALUES ('099_from_elsewhere', 99, 'x')");

        LaunchResult validate = launcher.launch("validate", "--targets", file.toString(), "--location",
                location.toString(), "--on-error", "continue");
        LaunchResult list = launcher.launch("list", "--targets", file.toString(), "--location", location.toString(),
                "--on-error", "continue", "--json");

        assertThat(validate.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(validate.getOutput()).containsPattern("tenant_02 \\.+ invalid: .*099_from_elsewhere");
        assertThat(lastLine(validate.getOutput())).isEqualTo("Fleet: 2 targets: 1 up to date, 1 failed (tenant_02)");
        JsonNode totals = jsonLines(list.getOutput()).get(2).get("fleet");
        assertThat(totals.get("upToDate").asInt()).isEqualTo(1);
        assertThat(totals.get("failedTargets").get(0).asText()).isEqualTo("tenant_02");
    }
}
