package dev.strata.db;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.pgclient.SslMode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("unit")
class ConnectionSettingsTest {

    private static final String CLI = "postgresql://cli:pw-cli@cli.host/cli_db";
    private static final String DIRECT = "postgres://direct:pw-direct@direct.host/direct_db";
    private static final String DATABASE = "postgres://pooled:pw-pooled@pooled.host:6432/pooled_db";
    private static final String DATASOURCE = "vertx-reactive:postgresql://ds:pw-ds@ds.host/ds_db";

    private static Map<String, String> everything() {
        Map<String, String> env = new HashMap<>();
        env.put("DIRECT_DATABASE_URL", DIRECT);
        env.put("DATABASE_URL", DATABASE);
        env.put("PGHOST", "pg.host");
        env.put("PGUSER", "pguser");
        env.put("PGPASSWORD", "pw-libpq");
        env.put("PGDATABASE", "pg_db");
        return env;
    }

    @Test
    void cliUrlWinsOverEverything() {
        ConnectionSettings s = ConnectionSettings.resolve(CLI, everything(), Optional.of(DATASOURCE));

        assertThat(s.source()).isEqualTo("--url");
        assertThat(s.redacted()).isEqualTo("postgresql://cli@cli.host:5432/cli_db");
        assertThat(s.options().getPassword()).isEqualTo("pw-cli");
    }

    @Test
    void directDatabaseUrlWinsOverDatabaseUrl() {
        ConnectionSettings s = ConnectionSettings.resolve(null, everything(), Optional.of(DATASOURCE));

        assertThat(s.source()).isEqualTo("DIRECT_DATABASE_URL");
        assertThat(s.redacted()).isEqualTo("postgresql://direct@direct.host:5432/direct_db");
    }

    @Test
    void databaseUrlWinsOverDatasourceProperty() {
        Map<String, String> env = everything();
        env.remove("DIRECT_DATABASE_URL");

        ConnectionSettings s = ConnectionSettings.resolve(null, env, Optional.of(DATASOURCE));

        assertThat(s.source()).isEqualTo("DATABASE_URL");
        assertThat(s.redacted()).isEqualTo("postgresql://pooled@pooled.host:6432/pooled_db");
    }

    @Test
    void datasourcePropertyWinsOverLibpqVariables() {
        Map<String, String> env = everything();
        env.remove("DIRECT_DATABASE_URL");
        env.remove("DATABASE_URL");

        ConnectionSettings s = ConnectionSettings.resolve(null, env, Optional.of(DATASOURCE));

        assertThat(s.source()).isEqualTo("quarkus.datasource.reactive.url");
        assertThat(s.redacted()).isEqualTo("postgresql://ds@ds.host:5432/ds_db");
    }

    @Test
    void libpqVariablesWinOverTheDefault() {
        Map<String, String> env = everything();
        env.remove("DIRECT_DATABASE_URL");
        env.remove("DATABASE_URL");

        ConnectionSettings s = ConnectionSettings.resolve(null, env, Optional.empty());

        assertThat(s.source()).isEqualTo("PG* environment variables");
        assertThat(s.redacted()).isEqualTo("postgresql://pguser@pg.host:5432/pg_db");
    }

    @Test
    void defaultIsLocalPostgresDatabase() {
        ConnectionSettings s = ConnectionSettings.resolve(null, Map.of(), Optional.empty());

        assertThat(s.source()).isEqualTo("default");
        assertThat(s.redacted()).isEqualTo("postgresql://postgres@localhost:5432/postgres");
        assertThat(s.options().getUser()).isEqualTo("postgres");
        assertThat(s.tls()).isFalse();
    }

    @Test
    void blankValuesDoNotCount() {
        Map<String, String> env = new HashMap<>();
        env.put("DIRECT_DATABASE_URL", "");
        env.put("DATABASE_URL", "   ");
        env.put("PATH", "/usr/bin");

        ConnectionSettings s = ConnectionSettings.resolve("  ", env, Optional.of(" "));

        assertThat(s.source()).isEqualTo("default");
    }

    @Test
    void unrelatedPgPrefixedVariablesDoNotSwitchToLibpq() {
        ConnectionSettings s = ConnectionSettings.resolve(null,
                Map.of("PGDATA", "/var/lib/postgresql/data", "PGTZ", "UTC"), Optional.empty());

        assertThat(s.source()).isEqualTo("default");
    }

    @Test
    void libpqVariablesSetEveryPart() {
        ConnectionSettings s = ConnectionSettings.resolve(null, Map.of(
                "PGHOST", "db.internal", "PGPORT", "6432", "PGUSER", "app",
                "PGDATABASE", "crm", "PGPASSWORD", "s3cret-pw"), Optional.empty());

        assertThat(s.options().getHost()).isEqualTo("db.internal");
        assertThat(s.options().getPort()).isEqualTo(6432);
        assertThat(s.options().getUser()).isEqualTo("app");
        assertThat(s.options().getDatabase()).isEqualTo("crm");
        assertThat(s.options().getPassword()).isEqualTo("s3cret-pw");
        assertThat(s.redacted()).isEqualTo("postgresql://app@db.internal:6432/crm").doesNotContain("s3cret-pw");
        assertThat(s.toString()).doesNotContain("s3cret-pw");
        assertThat(s.target()).isEqualTo("crm on db.internal:6432 as app");
    }

    @Test
    void libpqDatabaseDefaultsToPguser() {
        ConnectionSettings s = ConnectionSettings.resolve(null, Map.of("PGUSER", "app"), Optional.empty());

        assertThat(s.options().getHost()).isEqualTo("localhost");
        assertThat(s.options().getPort()).isEqualTo(5432);
        assertThat(s.options().getDatabase()).isEqualTo("app");
        assertThat(s.redacted()).isEqualTo("postgresql://app@localhost:5432/app");
    }

    @Test
    void pgsslmodeIsMappedAndShown() {
        ConnectionSettings s = ConnectionSettings.resolve(null,
                Map.of("PGHOST", "db.internal", "PGSSLMODE", "verify-full", "PGSSLROOTCERT", "system"), Optional.empty());

        assertThat(s.options().getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(s.tls()).isTrue();
        assertThat(s.redacted()).isEqualTo("postgresql://postgres@db.internal:5432/postgres?sslmode=verify-full");
    }

    @Test
    void unknownPgsslmodeNamesTheVariable() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(null, Map.of("PGSSLMODE", "always"), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("PGSSLMODE: unknown sslmode 'always'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "65536", "-1", "5432x"})
    void badPgportIsAConfigErrorNamingTheVariable(String port) {
        assertThatThrownBy(() -> ConnectionSettings.resolve(null,
                Map.of("PGHOST", "db.internal", "PGPORT", port), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("PGPORT: port '" + port + "' is not a number from 1 to 65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "5432", "65535", " 6432 "})
    void validPgportIsAccepted(String port) {
        ConnectionSettings s = ConnectionSettings.resolve(null, Map.of("PGPORT", port), Optional.empty());

        assertThat(s.options().getPort()).isEqualTo(Integer.parseInt(port.trim()));
    }

    @Test
    void sslmodeInUrlIsMapped() {
        ConnectionSettings required = ConnectionSettings.fromUrl(
                "postgres://app:pw@db.internal/crm?sslmode=require", "DATABASE_URL");
        ConnectionSettings disabled = ConnectionSettings.fromUrl(
                "postgres://app:pw@db.internal/crm?sslmode=disable", "DATABASE_URL");

        assertThat(required.options().getSslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(required.tls()).isTrue();
        assertThat(disabled.options().getSslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(disabled.tls()).isFalse();
    }

    @Test
    void unknownSslmodeInEnvironmentUrlNamesTheVariable() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(null,
                Map.of("DATABASE_URL", "postgres://app:hunter2@db/crm?sslmode=on"), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("DATABASE_URL: unknown sslmode 'on'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedDatasourcePropertyNamesTheProperty() {
        assertThatThrownBy(() -> ConnectionSettings.resolve(null, Map.of(),
                Optional.of("mysql://app:hunter2@db/crm")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("quarkus.datasource.reactive.url: expected a postgres:// or postgresql:// URL")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void malformedCliUrlNamesTheOptionAndHidesPassword() {
        assertThatThrownBy(() -> ConnectionSettings.resolve("postgres://app:hunter2@db/crm?a=%zz", Map.of(), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--url: malformed database URL 'postgres://app:***@db/crm?a=%zz'")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void applicationNameIsStrataForUrlAndLibpqSettings() {
        assertThat(ConnectionSettings.fromUrl("postgres://app@db/crm", "DATABASE_URL").options().getProperties())
                .containsEntry("application_name", "strata");
        assertThat(ConnectionSettings.resolve(null, Map.of("PGHOST", "db"), Optional.empty()).options().getProperties())
                .containsEntry("application_name", "strata");
        assertThat(ConnectionSettings.resolve(null, Map.of(), Optional.empty()).options().getProperties())
                .containsEntry("application_name", ConnectionSettings.APPLICATION_NAME);
    }

    @Test
    void urlStartupParametersArePassedButLibpqOnlyOnesAreNot() {
        ConnectionSettings s = ConnectionSettings.fromUrl(
                "postgres://app@db/crm?options=-c%20statement_timeout%3D0&connect_timeout=5&target_session_attrs=read-write",
                "DATABASE_URL");

        assertThat(s.options().getProperties())
                .containsEntry("options", "-c statement_timeout=0")
                .doesNotContainKeys("connect_timeout", "target_session_attrs");
    }

    @Test
    void surroundingWhitespaceOfAUrlIsIgnored() {
        ConnectionSettings s = ConnectionSettings.resolve(null,
                Map.of("DATABASE_URL", "  postgres://app:pw@db.internal/crm\n"), Optional.empty());

        assertThat(s.redacted()).isEqualTo("postgresql://app@db.internal:5432/crm");
    }

    @Test
    void passwordIsNeverInRedactedOrToStringForAnySource() {
        String password = "Tr0ub4dor&3";
        String encoded = "Tr0ub4dor%263";
        ConnectionSettings[] all = {
                ConnectionSettings.resolve("postgres://app:" + encoded + "@db/crm", Map.of(), Optional.empty()),
                ConnectionSettings.resolve(null, Map.of("DATABASE_URL", "postgres://app:" + encoded + "@db/crm"), Optional.empty()),
                ConnectionSettings.resolve(null, Map.of(), Optional.of("postgresql://app:" + encoded + "@db/crm")),
                ConnectionSettings.resolve(null, Map.of("PGPASSWORD", password, "PGUSER", "app"), Optional.empty())};
        for (ConnectionSettings s : all) {
            assertThat(s.options().getPassword()).as(s.source()).isEqualTo(password);
            assertThat(s.redacted()).as(s.source()).doesNotContain(password).doesNotContain(encoded);
            assertThat(s.toString()).as(s.source()).doesNotContain(password).doesNotContain(encoded);
            assertThat(s.target()).as(s.source()).doesNotContain(password);
        }
    }
}
