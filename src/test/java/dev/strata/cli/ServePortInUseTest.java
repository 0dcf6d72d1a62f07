package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code strata serve} on a port another process listens on: one line on stderr naming the address
 * and what to do, exit 2 (usage/config), before the application starts.
 */
@Tag("cli")
class ServePortInUseTest {

    @Test
    void aPortInUseIsOneLineAndExitTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.strata.StrataMain", "serve"));
            builder.environment().put("PORT", String.valueOf(port));
            builder.environment().put("STRATA_HTTP_HOST", "127.0.0.1");
            builder.environment().remove("STRATA_HTTP_PORT");
            builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            assertThat(ended).as("serve gave up instead of running").isTrue();
            String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as(stderr).isEqualTo(ExitCodes.USAGE);
            assertThat(stderr.strip().lines().toList()).as(stderr).hasSize(1);
            assertThat(stderr).startsWith("strata: cannot listen on 127.0.0.1:" + port)
                    .contains("set PORT to a free port");
        }
    }
}
