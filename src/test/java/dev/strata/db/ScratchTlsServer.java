package dev.strata.db;

import dev.strata.testing.EmbeddedServers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL 15 (the Debian binaries) for TLS and password tests: {@code ssl=on} with a
 * server certificate for {@code localhost} only, signed by a CA this class creates with openssl; a
 * second, unrelated CA; a client certificate for role {@code certuser}; {@code pg_hba.conf} asking
 * for scram-sha-256 over TCP and a client certificate for {@code certuser}. Listens on 127.0.0.1 at
 * a free port; {@link #close} stops it and deletes everything.
 */
final class ScratchTlsServer implements AutoCloseable {

    static final String BIN = "/usr/lib/postgresql/15/bin";
    static final String APP_PASSWORD = "S3cr:et\\pw@#% x";

    final Path dir;
    final Path ca;
    final Path otherCa;
    final Path clientCert;
    final Path clientKey;
    final int port;

    ScratchTlsServer() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("strata-tls-");
        port = EmbeddedServers.freePort();
        Path certs = Files.createDirectories(dir.resolve("certs"));
        openssl(certs, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Strata test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        openssl(certs, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Unrelated CA",
                "-keyout", "other.key", "-out", "other-ca.pem");
        issue(certs, "server", "/CN=localhost", "subjectAltName=DNS:localhost");
        issue(certs, "client", "/CN=certuser", "basicConstraints=CA:FALSE");
        ca = certs.resolve("ca.pem");
        otherCa = certs.resolve("other-ca.pem");
        clientCert = certs.resolve("client.pem");
        clientKey = certs.resolve("client.key");
        Files.setPosixFilePermissions(clientKey, PosixFilePermissions.fromString("rw-------"));
        Path data = dir.resolve("data");
        run(dir, "chown", "-R", "postgres:postgres", dir.toString());
        run(dir, "chmod", "755", dir.toString(), certs.toString());
        run(dir, "chmod", "644", ca.toString(), clientCert.toString());
        asPostgres(BIN + "/initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                "--no-locale", "--no-sync");
        Files.writeString(data.resolve("pg_hba.conf"), """
                hostssl all certuser 127.0.0.1/32 cert
                host    all all      127.0.0.1/32 scram-sha-256
                """);
        Files.writeString(data.resolve("postgresql.conf"), "\nlisten_addresses = '127.0.0.1'\nport = " + port
                + "\nunix_socket_directories = ''\nfsync = off\nssl = on\nssl_cert_file = '" + certs.resolve("server.pem")
                + "'\nssl_key_file = '" + certs.resolve("server.key") + "'\nssl_ca_file = '" + ca + "'\n",
                java.nio.file.StandardOpenOption.APPEND);
        single(data, "ALTER ROLE postgres PASSWORD 'postgres-pw'");
        single(data, "CREATE ROLE app LOGIN PASSWORD '" + APP_PASSWORD.replace("'", "''") + "'");
        single(data, "CREATE ROLE certuser LOGIN");
        run(dir, "chown", "-R", "postgres:postgres", data.toString());
        asPostgres(BIN + "/pg_ctl", "-D", data.toString(), "-l", dir.resolve("server.log").toString(), "-w", "start");
    }

    private void issue(Path certs, String name, String subject, String extension) throws IOException, InterruptedException {
        openssl(certs, "req", "-newkey", "rsa:2048", "-nodes", "-subj", subject, "-keyout", name + ".key", "-out", name + ".csr");
        Files.writeString(certs.resolve(name + ".ext"), extension + "\n");
        openssl(certs, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
        if (name.equals("server")) {
            run(certs, "chown", "postgres:postgres", certs.resolve("server.key").toString());
            run(certs, "chmod", "600", certs.resolve("server.key").toString());
        }
    }

    /** A URL to this server as {@code host} (localhost or 127.0.0.1) with the given query. */
    String url(String userInfo, String host, String query) {
        return "postgresql://" + userInfo + "@" + host + ":" + port + "/postgres" + (query.isEmpty() ? "" : "?" + query);
    }

    private void single(Path data, String sql) throws IOException, InterruptedException {
        Path script = dir.resolve("single.sql");
        Files.writeString(script, sql + "\n");
        run(dir, "chmod", "644", script.toString());
        run(dir, "sh", "-c", "runuser -u postgres -- " + BIN + "/postgres --single -D " + data + " postgres < " + script);
    }

    private void asPostgres(String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        all.addAll(List.of(command));
        run(dir, all.toArray(String[]::new));
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("openssl"));
        all.addAll(List.of(args));
        run(dir, all.toArray(String[]::new));
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            asPostgres(BIN + "/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> tree = Files.walk(dir)) {
                tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (UncheckedIOException e) {
                // best effort
            }
        }
    }
}
