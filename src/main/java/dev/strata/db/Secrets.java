package dev.strata.db;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every password this process has seen (from a URL, {@code PGPASSWORD} or a password file), so that
 * any text about to be printed can be scrubbed of them literally, whatever shape the URL had. This
 * is the second line of defence: messages are built from redacted input in the first place.
 */
public final class Secrets {

    /** What a secret is replaced with. */
    public static final String MASK = "***";

    /** Shorter values are not scrubbed literally (they would mangle ordinary words); structural redaction covers them. */
    private static final int MIN_LENGTH = 3;

    private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

    /** A scheme and its {@code //}, e.g. {@code jdbc:postgresql://} or the mistyped {@code postgresql//}. */
    private static final Pattern SCHEME = Pattern.compile("^\\s*(?:jdbc:|vertx-reactive:)?[A-Za-z][A-Za-z0-9+.\\-]*:?//");

    /** libpq's {@code password} (and {@code sslpassword}) parameter in a URI query or a key=value string. */
    private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)((?:^|[?&\\s])(?:ssl)?password=)([^&\\s]*)");

    private Secrets() {
    }

    /** Remembers {@code secret} (and its percent-encoded forms) for {@link #scrub}; null and blank are ignored. */
    public static void remember(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        add(secret);
        add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        add(URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static void add(String value) {
        if (value.length() >= MIN_LENGTH) {
            KNOWN.add(value);
        }
    }

    /** Forgets every remembered secret (tests that simulate many processes in one). */
    static void forgetAll() {
        KNOWN.clear();
    }

    /** {@code text} with every remembered secret replaced by {@link #MASK}, longest first; null stays null. */
    public static String scrub(String text) {
        if (text == null || KNOWN.isEmpty()) {
            return text;
        }
        String result = text;
        List<String> secrets = KNOWN.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /**
     * One raw connection string as typed, with its password masked before any parsing: everything
     * between the scheme's {@code //} (or the start, when there is no scheme) and the last {@code @}
     * after the user name's {@code :}, and every {@code password=} value. Works on malformed input
     * ({@code postgresql//u:pw@h}, {@code u:pw@h/db}, unencoded {@code @ / # % ?} or spaces).
     * The candidate passwords found are {@linkplain #remember remembered}.
     */
    public static String redactRaw(String raw) {
        if (raw == null) {
            return null;
        }
        String text = raw;
        Matcher scheme = SCHEME.matcher(text);
        int start = scheme.find() ? scheme.end() : 0;
        int at = text.lastIndexOf('@');
        if (at > start) {
            int colon = text.indexOf(':', start);
            if (colon >= 0 && colon < at) {
                String candidate = text.substring(colon + 1, at);
                remember(candidate);
                remember(decodeQuietly(candidate));
                text = text.substring(0, colon + 1) + MASK + text.substring(at);
            }
        }
        Matcher param = PASSWORD_PARAM.matcher(text);
        StringBuilder out = new StringBuilder();
        while (param.find()) {
            remember(param.group(2));
            remember(decodeQuietly(param.group(2)));
            param.appendReplacement(out, Matcher.quoteReplacement(param.group(1) + MASK));
        }
        param.appendTail(out);
        return out.toString();
    }

    private static String decodeQuietly(String text) {
        try {
            return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
