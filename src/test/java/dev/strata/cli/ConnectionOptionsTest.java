package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

/** Connection options and URLs on the command line (issue 12, items 4 and 8). */
@Tag("cli")
@QuarkusMainTest
class ConnectionOptionsTest {

    @Test
    void negativeConnectTimeoutIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--connect-timeout", "-5", "--url", "postgresql://a@127.0.0.1:1/x");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("--connect-timeout").contains("negative").doesNotContain("cannot connect");
    }

    @Test
    void unknownUrlParameterIsAUsageErrorNamingIt(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--url", "postgresql://a@127.0.0.1:1/x?sslmod=require");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.getErrorOutput()).contains("unknown URL parameter 'sslmod'").doesNotContain("cannot connect");
    }

    @Test
    void malformedUrlsNeverShowThePasswordOnStderrOrInJson(QuarkusMainLauncher launcher) throws Exception {
        for (String url : new String[] {"postgresql//u:TopSecret9@y/z", "u:TopSecret9@localhost/db",
                "postgresql://relpw:TopSecret9@ss/w#rd% x y@127.0.0.1:1/crm"}) {
            LaunchResult plain = launcher.launch("status", "--url", url, "--connect-timeout", "0");
            assertThat(plain.exitCode()).as(url).isEqualTo(ExitCodes.USAGE);
            assertThat(plain.getErrorOutput() + plain.getOutput()).as(url).doesNotContain("TopSecret9")
                    .doesNotContain("ss/w#rd");

            LaunchResult json = launcher.launch("status", "--json", "--url", url, "--connect-timeout", "0");
            JsonNode parsed = new ObjectMapper().readTree(json.getOutput().isBlank() ? json.getErrorOutput() : json.getOutput());
            assertThat(parsed.toString()).as(url).doesNotContain("TopSecret9").doesNotContain("ss/w#rd");
            assertThat(json.getErrorOutput()).as(url).doesNotContain("TopSecret9");
        }
    }

    @Test
    void aPasswordInUrlIsWarnedAboutOnce(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("status", "--url", "postgresql://app:Hunter2Pw@127.0.0.1:1/x",
                "--connect-timeout", "0");

        assertThat(result.getErrorOutput()).containsOnlyOnce("visible to other users").contains("PGPASSWORD")
                .doesNotContain("Hunter2Pw");
    }
}
