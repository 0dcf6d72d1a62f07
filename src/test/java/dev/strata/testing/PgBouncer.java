package dev.strata.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * A PgBouncer (the Debian package {@code pgbouncer}; .ci/run installs it) on 127.0.0.1 and a free
 * port, in front of the test server, in the given pool mode; stopped by {@link #close()}.
 */
public final class PgBouncer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;

    private PgBouncer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** True when a pgbouncer binary is on the PATH or in /usr/sbin. */
    public static String binary() {
        for (String candidate : new String[] {"/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * Starts PgBouncer with {@code pool_mode} ({@code transaction} or {@code session}), every
     * database forwarded to {@code host:serverPort} as user postgres.
     */
    public static PgBouncer start(String poolMode, String host, int serverPort) throws IOException, InterruptedException {
        String binary = binary();
        if (binary == null) {
            throw new IllegalStateException("pgbouncer is not installed: apt-get install -y pgbouncer (.ci/run does)");
        }
        Path dir = Files.createTempDirectory("strata-pgbouncer");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();
        Path ini = dir.resolve("pgbouncer.ini");
        Files.writeString(ini, String.join("\n",
                "[databases]",
                "* = host=" + host + " port=" + serverPort + " user=postgres",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = any",
                "pool_mode = " + poolMode,
                "ignore_startup_parameters = extra_float_digits",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"),
                ""));
        Files.setPosixFilePermissions(ini, PosixFilePermissions.fromString("rw-rw-rw-"));
        ProcessBuilder builder = "root".equals(System.getProperty("user.name"))
                ? new ProcessBuilder(binary, "-u", "postgres", ini.toString())
                : new ProcessBuilder(binary, ini.toString());
        Process process = builder.redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return new PgBouncer(process, port, dir);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("pgbouncer did not start: " + Files.readString(dir.resolve("stdout.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A URL through PgBouncer to {@code database}. */
    public String url(String database) {
        return "postgresql://postgres@127.0.0.1:" + port + "/" + database;
    }

    /** Stops PgBouncer. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
