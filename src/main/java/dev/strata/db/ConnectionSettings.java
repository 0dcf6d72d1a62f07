package dev.strata.db;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.util.ArrayList;
import java.util.List;
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
 * @param warnings one-line warnings for stderr (a password on the command line, an ignored password file)
 * @param trust    the server-certificate check in use (it knows which check failed), or null
 */
public record ConnectionSettings(PgConnectOptions options, String source, String redacted, List<String> warnings,
                                 TlsTrust trust) {

    /** Settings without warnings or certificate check. */
    public ConnectionSettings(PgConnectOptions options, String source, String redacted) {
        this(options, source, redacted, List.of(), null);
    }

    /** The warning for {@code --url} with a password: other users of the machine can read a process's arguments. */
    public static final String ARGV_WARNING = "a password given with --url is visible to other users of this machine "
            + "(ps shows the command line); put it in DATABASE_URL, PGPASSWORD or ~/.pgpass instead";

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
        Secrets.remember(env.get("PGPASSWORD"));
        if (present(cliUrl)) {
            return fromUrl(cliUrl, "--url", env);
        }
        for (String variable : new String[] {"DIRECT_DATABASE_URL", "DATABASE_URL"}) {
            if (present(env.get(variable))) {
                return fromUrl(env.get(variable), variable, env);
            }
        }
        if (datasourceUrl.isPresent() && present(datasourceUrl.get())) {
            return fromUrl(datasourceUrl.get(), "quarkus.datasource.reactive.url", env);
        }
        if (env.keySet().stream().anyMatch(k -> k.startsWith("PG") && LIBPQ_VARIABLES.containsKey(k))) {
            return fromLibpq(env);
        }
        return fromUrl(DEFAULT_URL, "default", env);
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
        return fromUrl(url, source, Map.of());
    }

    /**
     * Parses one URL as {@link #fromUrl(String, String)} does; a URL without a password takes it
     * from {@code PGPASSWORD}, then the password file, and {@code PGSSL*} variables fill TLS
     * settings the URL leaves out, as in libpq (PostgreSQL docs, "Environment Variables", 34.15).
     *
     * @throws ConfigException when the URL is malformed or names a TLS file that is unusable
     */
    public static ConnectionSettings fromUrl(String url, String source, Map<String, String> env) {
        DatabaseUrl parsed = DatabaseUrl.parse(url.trim(), source);
        PgConnectOptions options = parsed.toOptions().setPipeliningLimit(256)
                .addProperty("application_name", APPLICATION_NAME);
        List<String> warnings = new ArrayList<>();
        if ("--url".equals(source) && parsed.password() != null && !parsed.password().isEmpty()) {
            warnings.add(ARGV_WARNING);
        }
        fillPassword(options, parsed.password(), parsed.client().get("passfile"), env, warnings);
        TlsTrust trust = TlsSettings.configure(options, parsed.sslMode(), parsed.client().containsKey("sslmode"),
                parsed.client(), env, source);
        return new ConnectionSettings(options, source, parsed.redacted(), List.copyOf(warnings), trust);
    }

    /** libpq's order: the URL's password, then {@code PGPASSWORD}, then the password file (34.16). */
    private static void fillPassword(PgConnectOptions options, String given, String passfile,
                                     Map<String, String> env, List<String> warnings) {
        if (given != null) {
            options.setPassword(given);
            return;
        }
        if (present(env.get("PGPASSWORD"))) {
            Secrets.remember(env.get("PGPASSWORD"));
            options.setPassword(env.get("PGPASSWORD"));
            return;
        }
        options.setPassword(PgPass.lookup(PgPass.location(passfile, env), options.getHost(), options.getPort(),
                options.getDatabase(), options.getUser(), warnings).orElse(""));
    }

    private static ConnectionSettings fromLibpq(Map<String, String> env) {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(env.getOrDefault("PGHOST", "localhost"))
                .setPort(parsePort(env.getOrDefault("PGPORT", "5432"), "PGPORT"))
                .setUser(env.getOrDefault("PGUSER", "postgres"))
                .setDatabase(env.getOrDefault("PGDATABASE", env.getOrDefault("PGUSER", "postgres")))
                .setPassword("")
                .addProperty("application_name", APPLICATION_NAME);
        List<String> warnings = new ArrayList<>();
        fillPassword(options, null, null, env, warnings);
        boolean modeGiven = present(env.get("PGSSLMODE"));
        SslMode mode = modeGiven ? DatabaseUrl.sslMode(env.get("PGSSLMODE"), "PGSSLMODE") : SslMode.PREFER;
        TlsTrust trust = TlsSettings.configure(options, mode, modeGiven, Map.of(), env, "PG* environment variables");
        String redacted = DatabaseUrl.format(options.getUser(), options.getHost(), options.getPort(),
                options.getDatabase(), options.getSslMode());
        return new ConnectionSettings(options, "PG* environment variables", redacted, List.copyOf(warnings), trust);
    }

    static int parsePort(String text, String source) {
        try {
            int port = Integer.parseInt(text.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(Secrets.scrub(source + ": port '" + text + "' is not a number from 1 to 65535"));
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
