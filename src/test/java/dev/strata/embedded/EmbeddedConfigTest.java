package dev.strata.embedded;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Version, directories and defaults of the embedded server (tier 1). */
@Tag("unit")
class EmbeddedConfigTest {

    @Test
    void theBundledVersionIsThePinnedOne() {
        assertThat(EmbeddedConfig.bundledVersion()).matches("\\d+\\.\\d+\\.\\d+");
        EmbeddedConfig config = EmbeddedConfig.of(Map.of("HOME", "/home/dev"), null, null, null);
        assertThat(config.version()).isEqualTo(EmbeddedConfig.bundledVersion());
    }

    @Test
    void homeFollowsXdgThenHomeAndRootGetsVarLib() {
        assertThat(EmbeddedConfig.defaultHome(Map.of("HOME", "/home/dev"), false))
                .isEqualTo(Path.of("/home/dev/.local/share/strata"));
        assertThat(EmbeddedConfig.defaultHome(Map.of("HOME", "/home/dev", "XDG_DATA_HOME", "/data"), false))
                .isEqualTo(Path.of("/data/strata"));
        assertThat(EmbeddedConfig.defaultHome(Map.of("HOME", "/root"), true)).isEqualTo(Path.of("/var/lib/strata"));
        assertThat(EmbeddedConfig.defaultHome(Map.of("HOME", "/root", "XDG_DATA_HOME", "/srv/x"), true))
                .isEqualTo(Path.of("/srv/x/strata"));
        assertThat(EmbeddedConfig.defaultHome(Map.of("HOME", "/home/dev", "XDG_DATA_HOME", "relative"), false))
                .as("a relative XDG_DATA_HOME is ignored, as the XDG spec says").isEqualTo(Path.of("/home/dev/.local/share/strata"));
    }

    @Test
    void theInstanceDirectoryIsPerMajorVersionAndTheVersionComesFromTheEnvironment() {
        EmbeddedConfig config = EmbeddedConfig.of(Map.of("XDG_DATA_HOME", "/data", "STRATA_EMBEDDED_VERSION", "16.9.0"),
                null, null, null);
        assertThat(config.version()).isEqualTo("16.9.0");
        assertThat(config.major()).isEqualTo("16");
        assertThat(config.instanceDir()).isEqualTo(Path.of("/data/strata/pg-16"));
        EmbeddedConfig explicit = EmbeddedConfig.of(Map.of("STRATA_EMBEDDED_VERSION", "16.9.0"), "18.1.0",
                Path.of("/tmp/x"), 5555);
        assertThat(explicit.version()).isEqualTo("18.1.0");
        assertThat(explicit.instanceDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(explicit.port()).isEqualTo(5555);
    }

    @ParameterizedTest
    @ValueSource(strings = {"17", "17.5", "v17.5.0", "17.5.0-beta", "latest"})
    void refusesVersionsThatAreNotBinariesVersions(String version) {
        assertThatThrownBy(() -> EmbeddedConfig.of(Map.of(), version, null, null))
                .isInstanceOf(EmbeddedException.class).hasMessageContaining("17.5.0");
    }
}
