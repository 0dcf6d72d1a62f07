package dev.strata.serve;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** Who may read the status page: the token rule, the private-address rule and the proxy headers. */
@Tag("unit")
class PageAccessTest {

    private static final PageAccess OPEN = new PageAccess(Optional.empty());
    private static final PageAccess TOKEN = new PageAccess(Optional.of("s3cret-token"));

    private static Function<String, String> headers(String... pairs) {
        Map<String, String> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map::get;
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "10.0.0.1", "10.255.255.255", "172.16.0.1",
            "172.31.255.254", "192.168.1.20", "fdaa:0:1234:a7b:8c:1:2:3", "fc00::1", "fdff::1",
            "::ffff:10.1.2.3", "[fdaa::3]", "fdaa::2%eth0"})
    void loopbackAndPrivateAddressesArePrivate(String address) {
        assertThat(PageAccess.isPrivate(address)).as(address).isTrue();
        assertThat(OPEN.decide(address, headers(), null)).as(address).isEqualTo(PageAccess.Decision.ALLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.15.255.255", "172.32.0.1", "192.169.0.1", "11.0.0.1", "100.64.0.1",
            "169.254.1.1", "fe80::1", "2a09:8280:1::1", "fbff::1", "fe00::1", "::ffff:8.8.8.8", "0.0.0.0", "::",
            "999.1.1.1", "localhost", "10.0.0.1.example.com", "", "garbage"})
    void publicLinkLocalAndUnparsableAddressesAreNot(String address) {
        assertThat(PageAccess.isPrivate(address)).as(address).isFalse();
        assertThat(OPEN.decide(address, headers(), null)).as(address).isEqualTo(PageAccess.Decision.FORBIDDEN);
    }

    @Test
    void aNullPeerIsNotPrivate() {
        assertThat(OPEN.decide(null, headers(), null)).isEqualTo(PageAccess.Decision.FORBIDDEN);
    }

    /** Fly Proxy connects from a private address and adds Fly-Client-IP: such a request is not private. */
    @ParameterizedTest
    @ValueSource(strings = {"Fly-Client-IP", "fly-client-ip", "X-Forwarded-For", "Forwarded"})
    void aRequestThroughAProxyIsRefusedEvenFromAPrivatePeer(String header) {
        assertThat(OPEN.decide("172.16.5.9", headers(header, "203.0.113.7"), null))
                .isEqualTo(PageAccess.Decision.FORBIDDEN);
        // Also when the proxy reports a private client (Flycast from another machine): fail closed.
        assertThat(OPEN.decide("fdaa::5", headers(header, "fdaa::9"), null)).isEqualTo(PageAccess.Decision.FORBIDDEN);
    }

    @Test
    void withATokenEveryRequestNeedsIt() {
        assertThat(TOKEN.decide("127.0.0.1", headers(), null)).isEqualTo(PageAccess.Decision.LOGIN);
        assertThat(TOKEN.decide("8.8.8.8", headers(), null)).isEqualTo(PageAccess.Decision.LOGIN);
        assertThat(TOKEN.decide("8.8.8.8", headers("Authorization", "Bearer s3cret-token"), null))
                .isEqualTo(PageAccess.Decision.ALLOW);
        assertThat(TOKEN.decide("8.8.8.8", headers("Authorization", "bearer s3cret-token", "Fly-Client-IP", "8.8.8.8"),
                null)).as("the token works through Fly Proxy").isEqualTo(PageAccess.Decision.ALLOW);
        assertThat(TOKEN.decide("127.0.0.1", headers("Authorization", "Bearer s3cret-tokeN"), null))
                .isEqualTo(PageAccess.Decision.FORBIDDEN);
        assertThat(TOKEN.decide("127.0.0.1", headers("Authorization", "Basic czNjcmV0LXRva2VuOg=="), null))
                .as("not a bearer token: no credential").isEqualTo(PageAccess.Decision.LOGIN);
    }

    @Test
    void theCookieIsADerivedValueNotTheToken() {
        String cookie = TOKEN.cookieValue();
        assertThat(cookie).matches("[0-9a-f]{64}").doesNotContain("s3cret");
        assertThat(TOKEN.decide("8.8.8.8", headers(), cookie)).isEqualTo(PageAccess.Decision.ALLOW);
        assertThat(TOKEN.decide("8.8.8.8", headers(), "s3cret-token")).as("the raw token is not a cookie")
                .isEqualTo(PageAccess.Decision.LOGIN);
        assertThat(TOKEN.decide("8.8.8.8", headers(), cookie.substring(1) + "0")).isEqualTo(PageAccess.Decision.LOGIN);
        assertThat(new PageAccess(Optional.of("another-token")).cookieValue()).isNotEqualTo(cookie);
        assertThat(TOKEN.isToken("s3cret-token")).isTrue();
        assertThat(TOKEN.isToken(cookie)).isFalse();
        assertThat(TOKEN.isToken(null)).isFalse();
    }

    @Test
    void aBlankTokenCountsAsNone() {
        PageAccess blank = new PageAccess(Optional.of("  "));
        assertThat(blank.tokenRequired()).isFalse();
        assertThat(blank.decide("8.8.8.8", headers("Authorization", "Bearer   "), null))
                .isEqualTo(PageAccess.Decision.FORBIDDEN);
        assertThat(blank.isToken("  ")).isFalse();
    }
}
