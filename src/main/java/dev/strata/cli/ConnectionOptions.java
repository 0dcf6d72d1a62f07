package dev.strata.cli;

import picocli.CommandLine.Option;

/** Options shared by commands that talk to the database. */
public class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Database URL (postgres://user:pass@host:5432/db?sslmode=require). "
                    + "Default: DIRECT_DATABASE_URL, DATABASE_URL, quarkus.datasource.reactive.url, PG* variables, "
                    + "then postgresql://localhost:5432/postgres.")
    String url;

    @Option(names = "--connect-timeout", paramLabel = "MS", defaultValue = "${env:STRATA_CONNECT_TIMEOUT:-15000}",
            description = "How long to retry an unreachable or starting server, in ms (default: ${DEFAULT-VALUE}).")
    long connectTimeoutMs;

    @Option(names = "--unresponsive-timeout", paramLabel = "MS", defaultValue = "${env:STRATA_UNRESPONSIVE_TIMEOUT:-30000}",
            description = "End a migration run after the server has not answered for this long, in ms; 0 waits forever "
                    + "(default: ${DEFAULT-VALUE}).")
    long unresponsiveTimeoutMs;
}
