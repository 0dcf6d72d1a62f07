package dev.strata.db;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What Strata does with each libpq connection parameter in a URL query (PostgreSQL docs,
 * "Parameter Key Words", 34.1.2): act on it, pass it to the server, ignore it because Strata has its
 * own setting, or refuse it, so that no parameter is accepted and then silently not honoured.
 */
final class UrlParameters {

    /** Parameters Strata acts on itself (TLS files, the password file). */
    private static final Set<String> CLIENT = Set.of("sslrootcert", "sslcert", "sslkey", "passfile");

    /** Sent to the server as startup parameters. */
    private static final Set<String> STARTUP = Set.of("options", "application_name");

    /** Accepted and ignored: Strata has its own setting for these, or they change nothing it relies on. */
    private static final Set<String> IGNORED = Set.of("connect_timeout", "fallback_application_name",
            "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
            "sslcompression", "sslsni", "target_session_attrs", "client_encoding");

    /** libpq parameters with a value Strata cannot honour: refusing beats pretending. */
    private static final Map<String, Set<String>> ONLY_VALUES = Map.of(
            "channel_binding", Set.of("prefer", "disable"),
            "gssencmode", Set.of("prefer", "disable"),
            "sslnegotiation", Set.of("postgres"));

    /** Real libpq parameters Strata does not implement. */
    private static final Set<String> UNSUPPORTED = Set.of("hostaddr", "service", "sslpassword", "sslcrl", "sslcrldir",
            "sslcertmode", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname",
            "gsslib", "gssdelegation", "replication", "load_balance_hosts", "require_auth");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");

    private UrlParameters() {
    }

    /**
     * Sorts one query parameter into {@code params} (startup) or {@code client} (Strata's own).
     *
     * @throws ConfigException for an unknown parameter, or one Strata cannot honour
     */
    static void accept(String key, String value, Map<String, String> params, Map<String, String> client, String source) {
        if (CLIENT.contains(key)) {
            client.put(key, value);
        } else if (STARTUP.contains(key)) {
            params.put(key, value);
        } else if (ONLY_VALUES.containsKey(key)) {
            if (!ONLY_VALUES.get(key).contains(value.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(source + ": " + key + "=" + Secrets.scrub(value) + " is not supported by Strata "
                        + "(it supports " + String.join(" or ", ONLY_VALUES.get(key)) + "); remove it from the URL");
            }
        } else if (UNSUPPORTED.contains(key)) {
            throw new ConfigException(source + ": the URL parameter " + key + " is not supported by Strata; "
                    + "remove it from the URL (see README, Configuration)");
        } else if (!IGNORED.contains(key)) {
            String named = NAME.matcher(key).matches() ? "'" + Secrets.scrub(key) + "'" : "(not shown: it is not a name)";
            throw new ConfigException(source + ": unknown URL parameter " + named + "; libpq's parameters are listed "
                    + "in the PostgreSQL docs, \"Parameter Key Words\" (check the spelling, or percent-encode a '?' or '&' "
                    + "in the password)");
        }
    }

    /** A port from a URL; the message shows the text only when it cannot be a piece of the password. */
    static int port(String text, String shown, String source) {
        try {
            return ConnectionSettings.parsePort(text, source);
        } catch (ConfigException e) {
            if (shown.contains(text)) {
                throw new ConfigException(Secrets.scrub(e.getMessage()));
            }
            // the text is not in the redacted URL, so it may be a piece of the password (e.g. an unencoded '?')
            throw new ConfigException(source + ": the port in '" + shown + "' is not a number from 1 to 65535; "
                    + "percent-encode special characters in the password");
        }
    }
}
