package dev.strata.db;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class DatabaseUrlTest {

    private static final String SECRET = "hunter2";

    @ParameterizedTest
    @ValueSource(strings = {
            "postgres://app:hunter2@db.internal:6543/crm",
            "postgresql://app:hunter2@db.internal:6543/crm",
            "jdbc:postgresql://app:hunter2@db.internal:6543/crm",
            "vertx-reactive:postgresql://app:hunter2@db.internal:6543/crm"})
    void acceptsEveryPostgresUrlForm(String url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url, "DATABASE_URL");

        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo(SECRET);
        assertThat(parsed.host()).isEqualTo("db.internal");
        assertThat(parsed.port()).isEqualTo(6543);
        assertThat(parsed.database()).isEqualTo("crm");
        assertThat(parsed.sslMode()).as("libpq's default").isEqualTo(SslMode.PREFER);
        assertThat(parsed.redacted()).isEqualTo("postgresql://app@db.internal:6543/crm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql://app:hunter2@db.internal/crm", "http://db.internal/crm",
            "db.internal:5432/crm", "jdbc:mysql://app:hunter2@db.internal/crm", "postgres:/db.internal/crm"})
    void rejectsNonPostgresUrlNamingTheSourceWithoutThePassword(String url) {
        assertThatThrownBy(() -> DatabaseUrl.parse(url, "DATABASE_URL"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL: expected a postgres:// or postgresql:// URL")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void missingPartsTakeLibpqDefaults() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgresql://db.internal", "--url");

        assertThat(parsed.user()).isEqualTo("postgres");
        assertThat(parsed.password()).isNull();
        assertThat(parsed.port()).isEqualTo(5432);
        assertThat(parsed.database()).isEqualTo("postgres");
        assertThat(parsed.redacted()).isEqualTo("postgresql://postgres@db.internal:5432/postgres");
    }

    @Test
    void databaseDefaultsToTheUserName() {
        assertThat(DatabaseUrl.parse("postgresql://app@db.internal", "--url").database()).isEqualTo("app");
        assertThat(DatabaseUrl.parse("postgresql://app@db.internal/", "--url").database()).isEqualTo("app");
        assertThat(DatabaseUrl.parse("postgresql://app@db.internal/crm", "--url").database()).isEqualTo("crm");
    }

    @Test
    void emptyHostMeansLocalhost() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgresql:///crm", "--url");

        assertThat(parsed.host()).isEqualTo("localhost");
        assertThat(parsed.database()).isEqualTo("crm");
    }

    @Test
    void percentEncodedPasswordIsDecoded() {
        assertThat(DatabaseUrl.parse("postgres://app:p%40ss@db.internal/crm", "--url").password()).isEqualTo("p@ss");
        assertThat(DatabaseUrl.parse("postgres://app:a%2Fb%3Ac%25@db.internal/crm", "--url").password())
                .isEqualTo("a/b:c%");
    }

    @Test
    void plusInPasswordStaysAPlusNotASpace() {
        assertThat(DatabaseUrl.parse("postgres://app:a+b@db.internal/crm", "--url").password()).isEqualTo("a+b");
    }

    @Test
    void percentEncodedUserAndDatabaseAreDecoded() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://app%40tenant:x@db.internal/my%20db", "--url");

        assertThat(parsed.user()).isEqualTo("app@tenant");
        assertThat(parsed.database()).isEqualTo("my db");
    }

    @Test
    void ipv6HostIsUnbracketedAndShownBracketed() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgresql://app:hunter2@[2001:db8::1]:5433/crm", "--url");

        assertThat(parsed.host()).isEqualTo("2001:db8::1");
        assertThat(parsed.port()).isEqualTo(5433);
        assertThat(parsed.redacted()).isEqualTo("postgresql://app@[2001:db8::1]:5433/crm");
        assertThat(parsed.toOptions().getHost()).isEqualTo("2001:db8::1");
    }

    @ParameterizedTest
    @CsvSource({
            "disable, DISABLE",
            "allow, ALLOW",
            "prefer, PREFER",
            "require, REQUIRE",
            "no-verify, REQUIRE",
            "verify-ca, VERIFY_CA",
            "verify-full, VERIFY_FULL",
            "REQUIRE, REQUIRE",
            "Verify-Full, VERIFY_FULL"})
    void sslmodeIsMappedFromLibpqNames(String value, SslMode expected) {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://app@db.internal/crm?sslmode=" + value, "DATABASE_URL");

        assertThat(parsed.sslMode()).isEqualTo(expected);
        assertThat(parsed.toOptions().getSslMode()).isEqualTo(expected);
    }

    @Test
    void redactedUrlShowsSslmodeInLibpqSpelling() {
        assertThat(DatabaseUrl.parse("postgres://app:hunter2@db/crm?sslmode=verify-full", "x").redacted())
                .isEqualTo("postgresql://app@db:5432/crm?sslmode=verify-full");
        assertThat(DatabaseUrl.parse("postgres://app:hunter2@db/crm?sslmode=require", "x").redacted())
                .isEqualTo("postgresql://app@db:5432/crm?sslmode=require");
        assertThat(DatabaseUrl.parse("postgres://app:hunter2@db/crm?sslmode=disable", "x").redacted())
                .isEqualTo("postgresql://app@db:5432/crm?sslmode=disable");
        assertThat(DatabaseUrl.parse("postgres://app:hunter2@db/crm?sslmode=prefer", "x").redacted())
                .as("the default is not spelled out").isEqualTo("postgresql://app@db:5432/crm");
    }

    @Test
    void requireTrustsAnyCertificateButVerifyFullDoesNot() {
        assertThat(DatabaseUrl.parse("postgres://db/crm?sslmode=require", "x").toOptions().isTrustAll()).isTrue();
        assertThat(DatabaseUrl.parse("postgres://db/crm?sslmode=verify-full", "x").toOptions().isTrustAll()).isFalse();
    }

    @Test
    void unknownSslmodeNamesTheSourceAndTheValue() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://app:hunter2@db/crm?sslmode=sometimes", "DIRECT_DATABASE_URL"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DIRECT_DATABASE_URL: unknown sslmode 'sometimes'")
                .hasMessageContaining("verify-full")
                .hasMessageNotContaining(SECRET);
    }

    @Test
    void queryParametersOverrideAndOtherParametersBecomeStartupProperties() {
        DatabaseUrl parsed = DatabaseUrl.parse(
                "postgresql://db.internal/x?user=app&password=hunter2&dbname=crm&port=6432"
                        + "&connect_timeout=10&options=-c%20search_path%3Dcrm", "--url");

        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo(SECRET);
        assertThat(parsed.database()).isEqualTo("crm");
        assertThat(parsed.port()).isEqualTo(6432);
        assertThat(parsed.params()).containsExactly(java.util.Map.entry("options", "-c search_path=crm"));
        assertThat(parsed.redacted()).doesNotContain(SECRET);
    }

    @Test
    void badPortQueryParameterIsAConfigError() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db.internal/crm?port=abc", "DATABASE_URL"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("DATABASE_URL: port 'abc' is not a number from 1 to 65535");
    }

    @Test
    void portOutOfRangeInUrlIsAConfigError() {
        for (String url : new String[] {"postgres://app@db.internal:99999/crm", "postgres://app@db.internal:0/crm"}) {
            assertThatThrownBy(() -> ConnectionSettings.fromUrl(url, "DATABASE_URL"))
                    .as(url)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("DATABASE_URL: ");
        }
    }

    @Test
    void passwordIsNeverInRedactedFormOrToString() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://app:hunter2@db.internal/crm?password=hunter2", "--url");

        assertThat(parsed.redacted()).doesNotContain(SECRET);
        assertThat(parsed.toString()).doesNotContain(SECRET).isEqualTo(parsed.redacted());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "postgres://app:hunter2%zz@db.internal/crm",
            "postgres://app:hunter2@db.internal/crm?x=%g1",
            "postgres://app:hunter2@db internal/crm"})
    void malformedUrlMessageNamesSourceAndHidesPassword(String url) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> DatabaseUrl.parse(url, "DATABASE_URL"));

        assertThat(e).isNotNull();
        assertThat(e.getMessage())
                .startsWith("DATABASE_URL: malformed database URL 'postgres://app:***@")
                .contains("percent-encode")
                .doesNotContain(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "postgres://app:hunter2 x@db.internal/crm",
            "postgres://app:hunter2\tx@db.internal/crm",
            "postgresql://app@db.internal/crm?password=hunter2&application_name=a b"})
    void passwordWithWhitespaceOrInTheQueryIsParsedAndNeverShown(String url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url, "DATABASE_URL");

        assertThat(parsed.password()).startsWith(SECRET);
        assertThat(parsed.redacted()).doesNotContain(SECRET);
        assertThat(DatabaseUrl.redactText("cannot use " + url + " now")).doesNotContain(SECRET);
        assertThatThrownBy(() -> DatabaseUrl.parse(url + "%zz", "DATABASE_URL"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL: malformed database URL")
                .hasMessageNotContaining(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"p@ss", "p#ss", "pa/ss", "p^ss", "p ss"})
    void unencodedSpecialCharactersInThePasswordStillParseNeverFallingBackToLocalhost(String password) {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://app:" + password + "@db.internal/crm", "DATABASE_URL");

        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo(password);
        assertThat(parsed.host()).isEqualTo("db.internal");
        assertThat(parsed.database()).isEqualTo("crm");
        assertThat(parsed.redacted()).isEqualTo("postgresql://app@db.internal:5432/crm");
    }

    @Test
    void nonNumericPortIsAConfigErrorThatHidesThePassword() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://app:secret@db.internal:abc/crm", "DATABASE_URL"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("DATABASE_URL: port 'abc' is not a number from 1 to 65535");
    }

    @Test
    void hostWithUnderscoreIsKept() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://app:hunter2@db_1:5432/crm", "DATABASE_URL");

        assertThat(parsed.host()).isEqualTo("db_1");
        assertThat(parsed.user()).isEqualTo("app");
        assertThat(parsed.password()).isEqualTo(SECRET);
    }

    @Test
    void redactTextHidesPasswordsInFreeText() {
        assertThat(DatabaseUrl.redactText("connect to postgres://app:hunter2@db:5432/crm failed"))
                .isEqualTo("connect to postgres://app:***@db:5432/crm failed");
        assertThat(DatabaseUrl.redactText("a postgresql://u:one@h1/x and jdbc:postgresql://v:two@h2/y"))
                .isEqualTo("a postgresql://u:***@h1/x and jdbc:postgresql://v:***@h2/y");
    }

    @Test
    void redactTextLeavesUrlsWithoutPasswordAlone() {
        assertThat(DatabaseUrl.redactText("postgresql://app@db:5432/crm")).isEqualTo("postgresql://app@db:5432/crm");
        assertThat(DatabaseUrl.redactText("postgresql://db:5432/crm")).isEqualTo("postgresql://db:5432/crm");
        assertThat(DatabaseUrl.redactText("time 12:30 at noon")).isEqualTo("time 12:30 at noon");
        assertThat(DatabaseUrl.redactText(null)).isNull();
    }

    @Test
    void connectOptionsCarryEveryParsedPart() {
        PgConnectOptions options = DatabaseUrl.parse("postgres://app:p%40ss@db.internal:6543/crm?sslmode=require", "x")
                .toOptions();

        assertThat(options.getHost()).isEqualTo("db.internal");
        assertThat(options.getPort()).isEqualTo(6543);
        assertThat(options.getUser()).isEqualTo("app");
        assertThat(options.getPassword()).isEqualTo("p@ss");
        assertThat(options.getDatabase()).isEqualTo("crm");
        assertThat(options.getSslMode()).isEqualTo(SslMode.REQUIRE);
    }
}
