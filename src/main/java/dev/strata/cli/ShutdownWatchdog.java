package dev.strata.cli;

import dev.strata.report.ExitCodes;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Bounds the exit after a command has finished: Quarkus's shutdown closes Vert.x, which waits
 * for every connection's close, and a connection to a server behind a dead network (packets
 * dropped) never completes its close, so the process would hang with its result already printed.
 * After {@link #GRACE_MS} the process halts with the command's exit code.
 */
@ApplicationScoped
public class ShutdownWatchdog {

    /** How long shutdown may take once the command has finished, ms. */
    static final long GRACE_MS = 5_000;

    void onStop(@Observes ShutdownEvent event) {
        if (LaunchMode.current() == LaunchMode.TEST) {
            return; // the tests run many launches in one JVM: halting would end them all
        }
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            int code = ApplicationLifecycleManager.getExitCode();
            System.err.println("strata: closing the connections did not finish within " + GRACE_MS / 1000
                    + " s (the server is unreachable); exiting anyway");
            System.err.flush();
            Runtime.getRuntime().halt(code < 0 ? ExitCodes.MIGRATION_FAILED : code);
        }, "strata-shutdown-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
