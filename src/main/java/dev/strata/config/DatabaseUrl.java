package dev.strata.config;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed PostgreSQL connection URL ({@code postgres[ql]://user:password@host:port/db?sslmode=…}),
 * following libpq's connection URI format (PostgreSQL docs, "Connection Strings", 34.1.1).
 *
 * @param user     user name, default {@code postgres}
 * @param password password or null; never printed
 * @param host     host name, default {@code localhost}
 * @param port     TCP port, default 5432
 * @param database database name, default the user name
 * @param sslMode  TLS mode, default {@link SslMode#DISABLE}
 * @param params   the remaining query parameters, passed to the server as startup properties
 */
public record DatabaseUrl(String user, String password, String host, int port, String database,
                          SslMode sslMode, Map<String, String> params) {

    /**
     * Parses a URL.
     *
     * @param url    the URL; {@code jdbc:} and {@code vertx-reactive:} prefixes are accepted
     * @param source where the URL came from, named in error messages
     * @throws ConfigException when the URL is not a PostgreSQL URL; the message shows the URL redacted
     */
    public static DatabaseUrl parse(String url, String source) {
        String text = url;
        for (String prefix : new String[] {"jdbc:", "vertx-reactive:"}) {
            if (text.startsWith(prefix)) {
                text = text.substring(prefix.length());
            }
        }
        if (!text.startsWith("postgres://") && !text.startsWith("postgresql://")) {
            throw new ConfigException(source + ": expected a postgres:// or postgresql:// URL, got '"
                    + redactText(url) + "'");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new ConfigException(source + ": malformed database URL '" + redactText(url)
                    + "' (" + e.getReason() + "); percent-encode special characters in the password");
        }
        String user = "postgres";
        String password = null;
        String rawUserInfo = uri.getRawUserInfo();
        if (rawUserInfo != null) {
            int colon = rawUserInfo.indexOf(':');
            user = decode(colon < 0 ? rawUserInfo : rawUserInfo.substring(0, colon));
            password = colon < 0 ? null : decode(rawUserInfo.substring(colon + 1));
        }
        String host = uri.getHost() == null || uri.getHost().isEmpty() ? "localhost" : uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = path.length() > 1 ? decode(path.substring(1)) : user;
        SslMode sslMode = SslMode.DISABLE;
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (key) {
                    case "sslmode" -> sslMode = sslMode(value, source);
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "dbname" -> database = value;
                    case "host" -> host = value;
                    case "port" -> port = ConnectionSettings.parsePort(value, source);
                    // libpq-only parameters the server would reject as startup options
                    case "connect_timeout", "sslrootcert", "sslcert", "sslkey", "target_session_attrs",
                         "channel_binding", "gssencmode", "sslpassword", "passfile" -> { }
                    default -> params.put(key, value);
                }
            }
        }
        return new DatabaseUrl(user, password, host, port, database, sslMode, params);
    }

    /** Maps a libpq {@code sslmode} value to Vert.x; throws {@link ConfigException} for unknown values. */
    public static SslMode sslMode(String value, String source) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "disable" -> SslMode.DISABLE;
            case "allow" -> SslMode.ALLOW;
            case "prefer" -> SslMode.PREFER;
            case "require", "no-verify" -> SslMode.REQUIRE;
            case "verify-ca" -> SslMode.VERIFY_CA;
            case "verify-full" -> SslMode.VERIFY_FULL;
            default -> throw new ConfigException(source + ": unknown sslmode '" + value
                    + "' (use disable, allow, prefer, require, verify-ca or verify-full)");
        };
    }

    /** Vert.x connect options for this URL; {@code require} trusts any server certificate, as libpq does. */
    public PgConnectOptions toOptions() {
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host).setPort(port).setDatabase(database).setUser(user).setSslMode(sslMode);
        if (password != null) {
            options.setPassword(password);
        }
        if (sslMode == SslMode.REQUIRE || sslMode == SslMode.ALLOW || sslMode == SslMode.PREFER) {
            options.setTrustAll(true);
        }
        params.forEach(options::addProperty);
        return options;
    }

    /** The URL without its password, e.g. {@code postgresql://app@db.internal:5432/crm?sslmode=require}. */
    public String redacted() {
        return format(user, host, port, database, sslMode);
    }

    @Override
    public String toString() {
        return redacted();
    }

    static String format(String user, String host, int port, String database, SslMode sslMode) {
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        return "postgresql://" + user + "@" + shownHost + ":" + port + "/" + database
                + (sslMode == null || sslMode == SslMode.DISABLE ? "" : "?sslmode=" + sslMode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }

    /** Removes anything between {@code ://user:} and {@code @} from free text, for error messages. */
    public static String redactText(String text) {
        return text == null ? null : text.replaceAll("(://[^:/@\\s]*):[^@\\s]*@", "$1:***@");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
