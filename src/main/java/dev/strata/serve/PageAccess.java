package dev.strata.serve;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may read the status page ({@code GET /}, {@code GET /status.json}) of {@code strata serve}.
 *
 * <ul>
 *   <li><b>With {@code STRATA_ADMIN_TOKEN} set</b>: every request needs it, from any address: either
 *       {@code Authorization: Bearer <token>} (scripts) or the session cookie {@value #COOKIE} that a
 *       browser gets by posting the token to {@code POST /session} (the page's own form). The cookie
 *       holds HMAC-SHA256(token, {@value #COOKIE_PURPOSE}), never the token itself, so it cannot be
 *       replayed as the bearer token of {@code POST /migrations/apply}; it is {@code HttpOnly;
 *       SameSite=Strict; Path=/}. Comparisons are constant-time ({@link MessageDigest#isEqual}).</li>
 *   <li><b>Without a token</b>: only requests whose peer is a loopback address (127.0.0.0/8, ::1) or a
 *       private one (RFC 1918: 10/8, 172.16/12, 192.168/16; RFC 4193 unique local fc00::/7, which holds
 *       Fly.io's private network 6PN, fdaa::/16) are answered, and only when they carry none of the
 *       headers a proxy adds ({@value #FLY_CLIENT_IP}, {@code X-Forwarded-For}, {@code Forwarded}):
 *       Fly Proxy connects to the app from a private address, so a request from the internet would
 *       otherwise look private; Fly.io docs, "Request headers": Fly-Client-IP is the client's address
 *       as Fly Proxy saw it. Everything else gets 403.</li>
 * </ul>
 */
public final class PageAccess {

    /** The session cookie's name. */
    public static final String COOKIE = "strata_status";

    /** What the cookie's HMAC is computed over, so that the value is useful for this page only. */
    static final String COOKIE_PURPOSE = "strata status page, read only";

    /** The header Fly Proxy adds to every request it forwards (public IPs and Flycast alike). */
    static final String FLY_CLIENT_IP = "Fly-Client-IP";

    private static final String[] PROXY_HEADERS = {FLY_CLIENT_IP, "X-Forwarded-For", "Forwarded"};

    /** The answer to one request. */
    public enum Decision {
        /** Serve the page. */
        ALLOW,
        /** 401: a token is configured and the request has no credential; the page offers the form. */
        LOGIN,
        /** 403: a wrong credential, or (no token configured) not a private, direct request. */
        FORBIDDEN
    }

    private final Optional<String> token;

    /** @param token the admin token, empty (or blank) when none is configured */
    public PageAccess(Optional<String> token) {
        this.token = token.filter(t -> !t.isBlank());
    }

    /** Whether a token is configured (then every request needs it). */
    public boolean tokenRequired() {
        return token.isPresent();
    }

    /**
     * Decides one request.
     *
     * @param peer    the address of the TCP peer (the socket's remote address), e.g. {@code 127.0.0.1}
     * @param headers the request's header of a given name, or null when absent (case-insensitive)
     * @param cookie  the value of the {@value #COOKIE} cookie, or null
     */
    public Decision decide(String peer, Function<String, String> headers, String cookie) {
        if (token.isPresent()) {
            Optional<String> bearer = MigrationRoutes.bearerToken(headers.apply("Authorization"));
            if (bearer.isPresent()) {
                return equal(bearer.get(), token.get()) ? Decision.ALLOW : Decision.FORBIDDEN;
            }
            if (cookie != null && !cookie.isEmpty()) {
                return equal(cookie, cookieValue()) ? Decision.ALLOW : Decision.LOGIN;
            }
            return Decision.LOGIN;
        }
        for (String header : PROXY_HEADERS) {
            if (headers.apply(header) != null) {
                return Decision.FORBIDDEN;
            }
        }
        return isPrivate(peer) ? Decision.ALLOW : Decision.FORBIDDEN;
    }

    /** Whether {@code given} is the configured token (constant-time); false when none is configured. */
    public boolean isToken(String given) {
        return token.isPresent() && given != null && equal(given, token.get());
    }

    /**
     * The session cookie's value: HMAC-SHA256 of {@value #COOKIE_PURPOSE} keyed with the token, hex.
     *
     * @throws IllegalStateException when no token is configured
     */
    public String cookieValue() {
        String key = token.orElseThrow(() -> new IllegalStateException("no admin token configured"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(COOKIE_PURPOSE.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /**
     * Whether {@code address} (an IPv4 or IPv6 literal, never a host name) is loopback, RFC 1918
     * private or RFC 4193 unique local (fc00::/7, Fly.io's 6PN); IPv4-mapped IPv6 addresses count
     * as their IPv4 address. Anything unparsable is not private.
     */
    public static boolean isPrivate(String address) {
        Optional<InetAddress> parsed = literal(address);
        if (parsed.isEmpty()) {
            return false;
        }
        InetAddress a = parsed.get();
        if (a.isLoopbackAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 10 || first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168;
        }
        return a instanceof Inet6Address && (b[0] & 0xfe) == 0xfc;
    }

    /** An IP literal parsed without any name lookup; empty for host names and garbage. */
    private static Optional<InetAddress> literal(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String s = address.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        // InetAddress.getByName resolves names; only hand it something made of literal characters.
        boolean ipv4 = s.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6 || ipv4 && java.util.Arrays.stream(s.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(s));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean equal(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
