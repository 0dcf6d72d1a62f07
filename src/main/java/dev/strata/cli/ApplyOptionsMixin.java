package dev.strata.cli;

import picocli.CommandLine.Option;

/** Options of commands that apply migrations. */
public class ApplyOptionsMixin {

    @Option(names = "--lock-timeout", paramLabel = "MS", defaultValue = "${env:STRATA_LOCK_TIMEOUT:-60000}",
            description = "How long to wait for the migration lock held by another run, in ms (default: ${DEFAULT-VALUE}); exit 4 after.")
    long lockWaitMs;

    @Option(names = "--statement-lock-timeout", paramLabel = "MS", defaultValue = "10000",
            description = "lock_timeout for each migration's statements, in ms; 0 disables (default: ${DEFAULT-VALUE}).")
    long lockTimeoutMs;

    @Option(names = "--lock-retries", paramLabel = "N", defaultValue = "3",
            description = "How often to retry a migration that hit lock_timeout (rolled back first; waits 1 s, 2 s, 4 s …) (default: ${DEFAULT-VALUE}).")
    int lockRetries;

    @Option(names = "--statement-timeout", paramLabel = "MS", defaultValue = "0",
            description = "statement_timeout for each migration's statements, in ms; 0 disables (default: ${DEFAULT-VALUE}).")
    long statementTimeoutMs;
}
