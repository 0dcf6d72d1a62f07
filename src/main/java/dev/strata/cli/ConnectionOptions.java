package dev.strata.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** Options shared by commands that talk to the database. */
public class ConnectionOptions {

    @Option(names = "--url", paramLabel = "URL",
            description = "Database URL (postgres://user@host:5432/db?sslmode=verify-full&sslrootcert=ca.pem). "
                    + "Default: DIRECT_DATABASE_URL, DATABASE_URL, quarkus.datasource.reactive.url, PG* variables, "
                    + "a running `strata db start` server, then postgresql://localhost:5432/postgres. "
                    + "Keep the password out of it (ps shows it): use PGPASSWORD or ~/.pgpass.")
    String url;

    @Option(names = "--connect-timeout", paramLabel = "MS", defaultValue = "${env:STRATA_CONNECT_TIMEOUT:-15000}",
            converter = Milliseconds.class,
            description = "How long to retry an unreachable or starting server, in ms, 0 or more (default: ${DEFAULT-VALUE}).")
    long connectTimeoutMs;

    @Option(names = "--unresponsive-timeout", paramLabel = "MS", defaultValue = "${env:STRATA_UNRESPONSIVE_TIMEOUT:-30000}",
            converter = Milliseconds.class,
            description = "End a migration run after the server has not answered for this long, in ms; 0 waits forever "
                    + "(default: ${DEFAULT-VALUE}).")
    long unresponsiveTimeoutMs;

    /** A whole, non-negative number of milliseconds; anything else is a usage error (exit 2). */
    static final class Milliseconds implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            long ms;
            try {
                ms = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number of milliseconds");
            }
            if (ms < 0) {
                throw new TypeConversionException("'" + value + "' is negative; give 0 or more milliseconds");
            }
            return ms;
        }
    }
}
