package dev.strata;

import io.quarkus.picocli.runtime.PicocliRunner;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Strata's entry point. The HTTP listener stays off for every command but {@code serve}, which is
 * the only one that answers HTTP (health checks, status): configuration is read at start-up, so
 * the switch has to happen before Quarkus starts.
 */
@QuarkusMain
public final class StrataMain {

    private StrataMain() {
    }

    /** Runs the command line; the process exits with the command's exit code. */
    public static void main(String... args) {
        if (args.length > 0 && "serve".equals(args[0]) && System.getProperty("quarkus.http.host-enabled") == null) {
            System.setProperty("quarkus.http.host-enabled", "true");
        }
        Quarkus.run(PicocliRunner.class, args);
    }
}
