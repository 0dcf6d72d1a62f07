package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import dev.strata.testing.PgBouncer;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Strata talks to, as a user sees it: a read-only database and a transaction-mode PgBouncer
 * are refused before any migration (exit 2), and session pooling works.
 */
@Tag("cli")
@QuarkusMainTest
class SessionTargetCommandsTest {

    @TempDir
    Path dir;
    TestDatabase db;
    URI server;

    @BeforeEach
    void createDatabase() {
        db = TestDatabase.create("sessiontarget");
        server = URI.create(db.url().replaceFirst("^postgres(ql)?:", "http:"));
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private static String lastLine(String text) {
        return text.strip().lines().reduce((a, b) -> b).orElse("");
    }

    private static void assertNoStackTrace(LaunchResult result) {
        assertThat(result.getErrorOutput()).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aReadOnlyDatabaseIsRefusedBeforeAnyMigrationWhileStatusStillWorks(QuarkusMainLauncher launcher) {
        db.query("ALTER DATABASE " + db.name() + " SET default_transaction_read_only = on");

        LaunchResult apply = launcher.launch("apply-all", "--url", db.url());

        assertThat(apply.exitCode()).as(apply.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(lastLine(apply.getErrorOutput())).contains("is read-only").contains("writable primary");
        assertNoStackTrace(apply);
        assertThat(db.value("SELECT to_regclass('schema_migrations')::text")).isNull();

        LaunchResult status = launcher.launch("status", "--url", db.url());
        assertThat(status.exitCode()).as(status.getErrorOutput()).isZero();
    }

    @Test
    void aTransactionModePgBouncerIsRefusedWithExitTwoAndSessionModeWorks(QuarkusMainLauncher launcher) throws Exception {
        try (PgBouncer bouncer = PgBouncer.start("transaction", server.getHost(), server.getPort())) {
            LaunchResult apply = launcher.launch("apply-all", "--url", bouncer.url(db.name()));

            assertThat(apply.exitCode()).as(apply.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
            assertThat(lastLine(apply.getErrorOutput())).contains("transaction-mode connection pooler (PgBouncer?)")
                    .contains("use DIRECT_DATABASE_URL or session pooling");
            assertNoStackTrace(apply);
            assertThat(db.value("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")).isEqualTo("0");
        }
        assertThat(db.value("SELECT to_regclass('cultural_knowledge')::text")).isNull();
        try (PgBouncer bouncer = PgBouncer.start("session", server.getHost(), server.getPort())) {
            LaunchResult apply = launcher.launch("apply-all", "--url", bouncer.url(db.name()));

            assertThat(apply.exitCode()).as(apply.getErrorOutput()).isZero();
            assertThat(apply.getOutput()).contains("Successfully applied 8 migrations");
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
