package dev.strata.db;

import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * TLS as libpq does it (PostgreSQL docs, "SSL Support", 34.19): {@code sslrootcert} (a PEM file of
 * CA certificates, or {@code system} for the JVM's trusted roots; default
 * {@code ~/.postgresql/root.crt}), {@code verify-ca} checks the chain, {@code verify-full} the chain
 * and the host name, a CA file given with {@code require} verifies the chain as {@code verify-ca}
 * does, and {@code sslcert}/{@code sslkey} present a client certificate (default
 * {@code ~/.postgresql/postgresql.crt} and {@code .key}). Without a CA, {@code prefer} and
 * {@code require} encrypt without checking who answers, as libpq does.
 */
public final class TlsSettings {

    private static final Set<PosixFilePermission> TOO_OPEN_KEY = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private TlsSettings() {
    }

    /**
     * Sets sslmode, trust, host name check and client certificate on {@code options}.
     *
     * @param mode      the sslmode from the URL or {@code PGSSLMODE} (libpq's default {@code prefer} when none)
     * @param modeGiven whether the user spelled the mode out ({@code sslrootcert=system} then defaults to verify-full)
     * @param client    {@code sslrootcert}, {@code sslcert}, {@code sslkey} from the URL; {@code PGSSL*} variables fill gaps
     * @return the certificate check in use, which knows why a handshake failed; null when nothing is checked
     * @throws ConfigException when a file is missing, unreadable, too open, or the mode cannot be honoured
     */
    public static TlsTrust configure(PgConnectOptions options, SslMode mode, boolean modeGiven, Map<String, String> client,
                                     Map<String, String> env, String source) {
        String root = setting(client, "sslrootcert", env, "PGSSLROOTCERT");
        Path home = PgPass.home(env).resolve(".postgresql");
        if (root == null && mode != SslMode.DISABLE && Files.isRegularFile(home.resolve("root.crt"))) {
            root = home.resolve("root.crt").toString();
        }
        SslMode effective = mode;
        options.setTrustAll(false).setHostnameVerificationAlgorithm("");
        if ("system".equals(root)) {
            if (!modeGiven) {
                effective = SslMode.VERIFY_FULL;
            } else if (mode != SslMode.VERIFY_FULL) {
                throw new ConfigException(source + ": sslrootcert=system needs sslmode=verify-full (as in libpq: any "
                        + "public CA can vouch for some name, so the host name must be checked too)");
            }
        } else if (root != null && mode != SslMode.DISABLE) {
            root = pemFile(root, "sslrootcert", "CERTIFICATE", source);
            if (mode == SslMode.REQUIRE) {
                effective = SslMode.VERIFY_CA;
            }
        } else if (mode == SslMode.VERIFY_CA || mode == SslMode.VERIFY_FULL) {
            throw new ConfigException(source + ": sslmode=" + name(mode) + " checks the server's certificate against a "
                    + "CA certificate, and none is given: add sslrootcert=/path/to/ca.pem to the URL (or set "
                    + "PGSSLROOTCERT, or put it in " + home.resolve("root.crt") + "), or sslrootcert=system for the JVM's "
                    + "trusted CAs (PostgreSQL docs 34.19.1)");
        } else {
            options.setTrustAll(true);
        }
        TlsTrust trust = null;
        if (!options.isTrustAll() && mode != SslMode.DISABLE) {
            trust = TlsTrust.of(root, effective == SslMode.VERIFY_FULL ? options.getHost() : null, source);
            options.setTrustOptions(TrustOptions.wrap(trust));
        }
        if (effective == SslMode.VERIFY_FULL) {
            // Vert.x insists on an algorithm for verify-full; TlsTrust checks the host name itself (libpq's rules).
            options.setHostnameVerificationAlgorithm("HTTPS");
        }
        options.setSslMode(effective);
        clientCertificate(options, client, env, home, mode, source);
        return trust;
    }

    private static void clientCertificate(PgConnectOptions options, Map<String, String> client, Map<String, String> env,
                                          Path home, SslMode mode, String source) {
        String cert = setting(client, "sslcert", env, "PGSSLCERT");
        String key = setting(client, "sslkey", env, "PGSSLKEY");
        if (cert == null && Files.isRegularFile(home.resolve("postgresql.crt"))) {
            cert = home.resolve("postgresql.crt").toString();
        }
        if (cert == null || mode == SslMode.DISABLE) {
            if (key != null && mode != SslMode.DISABLE) {
                throw new ConfigException(source + ": sslkey is given without sslcert; add sslcert=/path/to/client.crt");
            }
            return;
        }
        if (key == null) {
            key = home.resolve("postgresql.key").toString();
        }
        String certPath = pemFile(cert, "sslcert", "CERTIFICATE", source);
        String keyPath = pemFile(key, "sslkey", "PRIVATE KEY", source);
        checkKeyPermissions(Path.of(keyPath), source);
        options.setPemKeyCertOptions(new PemKeyCertOptions().setCertPath(certPath).setKeyPath(keyPath));
    }

    private static void checkKeyPermissions(Path key, String source) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(key);
            boolean groupRead = permissions.contains(PosixFilePermission.GROUP_READ);
            boolean rootOwned = "root".equals(Files.getOwner(key).getName());
            if (permissions.stream().anyMatch(TOO_OPEN_KEY::contains) || (groupRead && !rootOwned)) {
                throw new ConfigException(source + ": private key file " + key + " has group or world access; "
                        + "permissions should be u=rw (0600) or less: chmod 0600 " + key + " (libpq refuses it too)");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: libpq skips the check there too
        }
    }

    private static String pemFile(String path, String parameter, String kind, String source) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(source + ": " + parameter + " " + file + " does not exist or is not a file");
        }
        try {
            String text = Files.readString(file, StandardCharsets.ISO_8859_1);
            if (text.contains("ENCRYPTED PRIVATE KEY") || text.contains("Proc-Type: 4,ENCRYPTED")) {
                throw new ConfigException(source + ": " + parameter + " " + file + " is encrypted, which Strata cannot "
                        + "read (no sslpassword); store it decrypted with permissions 0600: openssl pkey -in " + file
                        + " -out client.key");
            }
            if (!text.contains("-----BEGIN ") || !text.contains(kind + "-----")) {
                throw new ConfigException(source + ": " + parameter + " " + file + " is not a PEM file with a "
                        + kind.toLowerCase(java.util.Locale.ROOT) + " (-----BEGIN ... " + kind + "-----)");
            }
        } catch (IOException e) {
            throw new ConfigException(source + ": cannot read " + parameter + " " + file + ": " + e.getMessage());
        }
        return file.toAbsolutePath().toString();
    }

    private static String setting(Map<String, String> client, String parameter, Map<String, String> env, String variable) {
        String value = client.get(parameter);
        if (value == null || value.isBlank()) {
            value = env.get(variable);
        }
        return value == null || value.isBlank() ? null : value;
    }

    /** libpq's spelling of a mode, e.g. {@code verify-full}. */
    static String name(SslMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
