package dev.strata.config;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.util.Map;
import java.util.Optional;

/**
 * The database Strata connects to, resolved from the command line, the environment and the
 * application configuration, with the password kept out of every printable form.
 *
 * <p>Precedence (first present wins): {@code --url} &gt; {@code DIRECT_DATABASE_URL} &gt;
 * {@code DATABASE_URL} &gt; {@code quarkus.datasource.reactive.url} &gt; libpq variables
 * {@code PGHOST/PGPORT/PGUSER/PGPASSWORD/PGDATABASE} &gt; {@code postgresql://localhost:5432/postgres}.
 * {@code DIRECT_DATABASE_URL} comes first among the variables because on Fly.io
 * {@code DATABASE_URL} may point at PgBouncer, which breaks session-level advisory locks.
 *
 * @param options  Vert.x connect options (host, port, database, user, password, sslmode)
 * @param source   where the setting came from, e.g. {@code "--url"} or {@code "DATABASE_URL"}
 * @param redacted the URL with the password removed, safe to print
 */
public record ConnectionSettings(PgConnectOptions options, String source, String redacted) {

    /** {@code application_name} Strata reports to the server, visible in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "strata";

    /**
     * Resolves the settings.
     *
     * @param cliUrl          value of {@code --url}, or null
     * @param env             the process environment
     * @param datasourceUrl   {@code quarkus.datasource.reactive.url}, if configured
     * @return resolved settings, never null
     * @throws ConfigException when the chosen URL cannot be parsed (the message names its source)
     */
    public static ConnectionSettings resolve(String cliUrl, Map<String, String> env, Optional<String> datasourceUrl) {
        if (present(cliUrl)) {
            return fromUrl(cliUrl, "--url");
        }
        for (String variable : new String[] {"DIRECT_DATABASE_URL", "DATABASE_URL"}) {
            if (present(env.get(variable))) {
                return fromUrl(env.get(variable), variable);
            }
        }
        if (datasourceUrl.isPresent() && present(datasourceUrl.get())) {
            return fromUrl(datasourceUrl.get(), "quarkus.datasource.reactive.url");
        }
        if (env.keySet().stream().anyMatch(k -> k.startsWith("PG") && LIBPQ_VARIABLES.containsKey(k))) {
            return fromLibpq(env);
        }
        return fromUrl(DEFAULT_URL, "default");
    }

    /** The URL used when nothing is configured: the local server's {@code postgres} database. */
    public static final String DEFAULT_URL = "postgresql://localhost:5432/postgres";

    private static final Map<String, String> LIBPQ_VARIABLES = Map.of(
            "PGHOST", "host", "PGPORT", "port", "PGUSER", "user", "PGPASSWORD", "password",
            "PGDATABASE", "database", "PGSSLMODE", "sslmode");

    /**
     * Parses one URL in any of the accepted forms: {@code postgres://}, {@code postgresql://},
     * {@code jdbc:postgresql://} and {@code vertx-reactive:postgresql://}, with an optional
     * {@code sslmode} query parameter (libpq's names: disable, allow, prefer, require, verify-ca,
     * verify-full).
     *
     * @throws ConfigException when the URL is malformed; the message never contains the password
     */
    public static ConnectionSettings fromUrl(String url, String source) {
        DatabaseUrl parsed = DatabaseUrl.parse(url.trim(), source);
        return new ConnectionSettings(parsed.toOptions().setPipeliningLimit(256)
                .addProperty("application_name", APPLICATION_NAME), source, parsed.redacted());
    }

    private static ConnectionSettings fromLibpq(Map<String, String> env) {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(env.getOrDefault("PGHOST", "localhost"))
                .setPort(parsePort(env.getOrDefault("PGPORT", "5432"), "PGPORT"))
                .setUser(env.getOrDefault("PGUSER", "postgres"))
                .setDatabase(env.getOrDefault("PGDATABASE", env.getOrDefault("PGUSER", "postgres")))
                .setPassword("")
                .setSslMode(SslMode.PREFER)
                .setTrustAll(true)
                .addProperty("application_name", APPLICATION_NAME);
        if (present(env.get("PGPASSWORD"))) {
            options.setPassword(env.get("PGPASSWORD"));
        }
        if (present(env.get("PGSSLMODE"))) {
            SslMode mode = DatabaseUrl.sslMode(env.get("PGSSLMODE"), "PGSSLMODE");
            options.setSslMode(mode).setTrustAll(mode != SslMode.VERIFY_CA && mode != SslMode.VERIFY_FULL);
        }
        String redacted = DatabaseUrl.format(options.getUser(), options.getHost(), options.getPort(),
                options.getDatabase(), options.getSslMode());
        return new ConnectionSettings(options, "PG* environment variables", redacted);
    }

    static int parsePort(String text, String source) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(source + ": port '" + text + "' is not a number from 1 to 65535");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** Host, port, database and user in one phrase for error messages, e.g. {@code db@host:5432 as app}. */
    public String target() {
        return options.getDatabase() + " on " + options.getHost() + ":" + options.getPort() + " as " + options.getUser();
    }

    /** True when TLS is required (sslmode require, verify-ca or verify-full), not merely preferred. */
    public boolean tls() {
        SslMode mode = options.getSslMode();
        return mode == SslMode.REQUIRE || mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL;
    }
}
