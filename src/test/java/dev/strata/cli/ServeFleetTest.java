package dev.strata.cli;

import dev.strata.report.ExitCodes;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata serve} with a fleet's options: what the status page cannot honour is refused with
 * exit 2 before anything listens or connects. (The fleet table itself: StatusPageBrowserTest, with
 * the same FleetStatus call ServeCommand makes.)
 */
@Tag("cli")
@QuarkusMainTest
class ServeFleetTest {

    /**
     * StrataMain runs in this JVM: for {@code serve} it checks that the port is free and sets
     * {@code strata.http.enabled} as system properties. Port 0 keeps the test independent of
     * whatever uses 8080 (or $PORT) on the machine; both properties are removed afterwards, so later
     * test classes in this JVM see neither.
     */
    @BeforeAll
    static void anyFreePort() {
        System.setProperty("strata.http.port", "0");
    }

    @AfterAll
    static void clearProperties() {
        System.clearProperty("strata.http.port");
        System.clearProperty("strata.http.enabled");
    }

    @Test
    void rolloutOptionsAreRefusedBecauseThePageOnlyReads(@TempDir Path dir, QuarkusMainLauncher launcher) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "postgresql://postgres@127.0.0.1:5432/postgres\n");
        for (String[] option : new String[][] {{"--canary", "1"}, {"--on-error", "continue"}, {"--max-failures", "2"}}) {
            LaunchResult result = launcher.launch("serve", "--targets", targets.toString(), option[0], option[1]);
            assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
            assertThat(result.getErrorOutput()).contains("serve only reads").contains("--canary");
        }
    }

    @Test
    void aMissingTargetsFileIsAUsageErrorNamingIt(@TempDir Path dir, QuarkusMainLauncher launcher) {
        Path missing = dir.resolve("no-such-targets.txt");
        LaunchResult result = launcher.launch("serve", "--targets", missing.toString());
        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains(missing.toString()).contains("--targets");
    }

    @Test
    void bothTargetSourcesAtOnceAreRefused(@TempDir Path dir, QuarkusMainLauncher launcher) throws Exception {
        Path targets = Files.writeString(dir.resolve("targets.txt"), "postgresql://postgres@127.0.0.1:5432/postgres\n");
        LaunchResult result = launcher.launch("serve", "--targets", targets.toString(), "--targets-query", "SELECT 1");
        assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("either --targets or --targets-query");
    }
}
