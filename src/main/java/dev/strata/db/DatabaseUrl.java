package dev.strata.db;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

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
 * @param sslMode  TLS mode, default {@link SslMode#PREFER} as in libpq
 * @param params   startup parameters for the server ({@code options}, {@code application_name})
 * @param client   libpq parameters Strata itself acts on: {@code sslrootcert}, {@code sslcert},
 *                 {@code sslkey}, {@code passfile}; {@code sslmode} when the URL spelled it out
 */
public record DatabaseUrl(String user, String password, String host, int port, String database,
                          SslMode sslMode, Map<String, String> params, Map<String, String> client) {

    /**
     * Parses a URL.
     *
     * @param url    the URL; {@code jdbc:} and {@code vertx-reactive:} prefixes are accepted
     * @param source where the URL came from, named in error messages
     * @throws ConfigException when the URL is not a PostgreSQL URL; the message shows the URL redacted
     */
    public static DatabaseUrl parse(String url, String source) {
        // The printable form is made from the raw text before anything can fail, so no error below
        // can show a password however malformed the URL is.
        String shown = Secrets.redactRaw(url);
        DatabaseUrl parsed = parseRedacted(url, shown, source);
        Secrets.remember(parsed.password());
        return parsed;
    }

    private static DatabaseUrl parseRedacted(String url, String shown, String source) {
        String text = url;
        for (String prefix : new String[] {"jdbc:", "vertx-reactive:"}) {
            if (text.startsWith(prefix)) {
                text = text.substring(prefix.length());
            }
        }
        if (!text.startsWith("postgres://") && !text.startsWith("postgresql://")) {
            throw new ConfigException(source + ": expected a postgres:// or postgresql:// URL, got '"
                    + shown + "'");
        }
        String rest = text.substring(text.indexOf("://") + 3);
        // libpq's URI layout: [userinfo@][host][:port][/dbname][?param=value&...]. The user info
        // ends at the last '@' before the query, so an unencoded '@', '/' or '#' in a password
        // still parses instead of silently falling back to localhost.
        // A '?' before the last '@' opens the query only when a key=value follows it; otherwise
        // it is part of an unencoded password.
        int lastAt = rest.lastIndexOf('@');
        int firstQuery = rest.indexOf('?');
        int userInfoEnd = lastAt;
        if (lastAt >= 0 && firstQuery >= 0 && firstQuery < lastAt && rest.substring(firstQuery, lastAt).contains("=")) {
            userInfoEnd = rest.substring(0, firstQuery).lastIndexOf('@');
        }
        int queryStart = rest.indexOf('?', userInfoEnd + 1);
        String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
        String query = queryStart < 0 ? null : rest.substring(queryStart + 1);
        int at = userInfoEnd;
        String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
        String hostAndPath = beforeQuery.substring(at + 1);
        int slash = hostAndPath.indexOf('/');
        String hostPort = slash < 0 ? hostAndPath : hostAndPath.substring(0, slash);
        String path = slash < 0 ? "" : hostAndPath.substring(slash + 1);

        String user = "postgres";
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), shown, source);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), shown, source);
        }
        String host = "localhost";
        int port = 5432;
        if (!hostPort.isEmpty()) {
            String portText = null;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw malformed(shown, source, "unclosed '[' in an IPv6 host");
                }
                host = hostPort.substring(1, close);
                if (close + 1 < hostPort.length()) {
                    if (hostPort.charAt(close + 1) != ':') {
                        throw malformed(shown, source, "unexpected text after the IPv6 host");
                    }
                    portText = hostPort.substring(close + 2);
                }
            } else {
                int colon = hostPort.indexOf(':');
                host = colon < 0 ? hostPort : hostPort.substring(0, colon);
                portText = colon < 0 ? null : hostPort.substring(colon + 1);
                if (host.contains(",")) {
                    throw new ConfigException(source + ": several hosts in one URL are not supported; name one host");
                }
                if (!HOST.matcher(host).matches()) {
                    throw malformed(shown, source, "a host name may hold letters, digits, '.', '-' and '_' only");
                }
            }
            if (host.isEmpty()) {
                host = "localhost";
            }
            if (portText != null && !portText.isEmpty()) {
                port = UrlParameters.port(portText, shown, source);
            }
        }
        String database = path.isEmpty() ? user : decode(path, shown, source);
        // libpq's default: try TLS, fall back to plain when the server does not offer it.
        SslMode sslMode = SslMode.PREFER;
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> client = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq), shown, source);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), shown, source);
                switch (key) {
                    case "sslmode" -> {
                        sslMode = sslMode(value, source);
                        client.put(key, value);
                    }
                    case "user" -> user = value;
                    case "password" -> password = value;
                    case "dbname" -> database = value;
                    case "host" -> host = value;
                    case "port" -> port = UrlParameters.port(value, shown, source);
                    default -> UrlParameters.accept(key, value, params, client, source);
                }
            }
        }
        return new DatabaseUrl(user, password, host, port, database, sslMode, params, client);
    }

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9._\\-]*");

    private static ConfigException malformed(String url, String source, String reason) {
        return new ConfigException(source + ": malformed database URL '" + redactText(url) + "' (" + reason
                + "); percent-encode special characters in the user name and password");
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
        // Vert.x defaults the password to "pass"; libpq sends none when none is configured.
        PgConnectOptions options = new PgConnectOptions()
                .setHost(host).setPort(port).setDatabase(database).setUser(user).setSslMode(sslMode)
                .setPassword(password == null ? "" : password);
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
                + (sslMode == null || sslMode == SslMode.PREFER ? "" : "?sslmode=" + sslMode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
    }

    /**
     * Removes anything between {@code ://user:} and {@code @} from free text, for error messages, and
     * every password this process has seen ({@link Secrets#scrub}).
     */
    public static String redactText(String text) {
        if (text == null) {
            return null;
        }
        // The password runs from the user's ':' to the '@' after which no other '@' comes before
        // the end of that URL (whitespace or a quote), so it may hold '@' and spaces; a
        // ?password= parameter is hidden as well.
        // Known secrets first: the pattern below may cut a password that holds '@' and spaces in two.
        return Secrets.scrub(text).replaceAll("(//[^:/@\\s]*):(?:(?!://).)*?@(?=[^@\\s'\"]*(?:[\\s'\"]|$))", "$1:***@")
                .replaceAll("([?&]password=)[^&\\s']*", "$1***");
    }

    private static String decode(String s, String url, String source) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw malformed(url, source, "invalid percent-encoding");
                }
                bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
