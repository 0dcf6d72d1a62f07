package dev.strata.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One embedded PostgreSQL server: a data directory initialised by {@code initdb} and a server
 * started and stopped by {@code pg_ctl}, listening on 127.0.0.1 only (no Unix socket), with
 * {@code trust} authentication for the superuser {@code postgres}.
 *
 * <p>The server outlives the JVM that started it (it is {@code pg_ctl}'s daemon, not a child
 * process) until {@link #stop()}; its data stays in {@code INSTANCE/data} between starts. Layout
 * of the instance directory: {@code data/} (PGDATA), {@code port} (the port, chosen at the first
 * start and kept so the URL stays the same), {@code server.log}, {@code .lock}.
 *
 * <p>Starting and stopping are serialised across processes by a file lock on {@code .lock}.
 */
public final class EmbeddedPostgres {

    /** The superuser {@code initdb} creates; connections need no password ({@code -A trust}, 127.0.0.1 only). */
    public static final String SUPERUSER = "postgres";

    /** How long {@code pg_ctl} waits for the server to start or stop, in seconds. */
    private static final int PG_CTL_WAIT_SECONDS = 60;
    private static final Duration PROGRAM_TIMEOUT = Duration.ofSeconds(PG_CTL_WAIT_SECONDS + 60);
    private static final Object JVM_LOCK = new Object();

    private final EmbeddedConfig config;
    private final ServerUser user;
    private final Map<String, String> env;
    private final Consumer<String> notes;

    /**
     * @param config the version, directories, port and settings
     * @param user   who runs the server (see {@link ServerUser#detect})
     * @param env    the environment, for finding binaries in the local Maven repository
     * @param notes  receives one-line notes about slow first-time work (extraction, initdb)
     */
    public EmbeddedPostgres(EmbeddedConfig config, ServerUser user, Map<String, String> env, Consumer<String> notes) {
        this.config = config;
        this.user = user;
        this.env = env;
        this.notes = notes;
    }

    /** Whether the server has a data directory and runs. */
    public enum State {
        /** No data directory yet: the first start runs {@code initdb}. */
        NOT_INITIALISED("not initialised"),
        /** A data directory, no server. */
        STOPPED("stopped"),
        /** The server runs. */
        RUNNING("running");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** Lower-case words for output, e.g. {@code not initialised}. */
        public String label() {
            return label;
        }
    }

    /**
     * A snapshot of the server.
     *
     * @param state whether it is initialised and runs
     * @param pid   the postmaster's process id while running, else null
     */
    public record Status(State state, Long pid) {
    }

    /** The configuration this server was made from. */
    public EmbeddedConfig config() {
        return config;
    }

    /** The user the server runs as. */
    public ServerUser user() {
        return user;
    }

    /** The data directory (PGDATA). */
    public Path dataDirectory() {
        return config.instanceDir().resolve("data");
    }

    /** The server's log file ({@code pg_ctl -l}). */
    public Path logFile() {
        return config.instanceDir().resolve("server.log");
    }

    /**
     * The server's state, from {@code PG_VERSION} and {@code postmaster.pid} in the data directory
     * (without running a program: this works before the binaries are extracted).
     */
    public Status status() {
        Path data = dataDirectory();
        if (!Files.isRegularFile(data.resolve("PG_VERSION"))) {
            return new Status(State.NOT_INITIALISED, null);
        }
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (Files.isRegularFile(pidFile)) {
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
                long pid = Long.parseLong(lines.get(0).trim());
                Optional<ProcessHandle> process = ProcessHandle.of(pid);
                if (process.isPresent() && process.get().isAlive()
                        && process.get().info().command().map(c -> c.endsWith("postgres")).orElse(true)) {
                    return new Status(State.RUNNING, pid);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or half-written pid file: the server is starting or stopping; treat as stopped
        }
        return new Status(State.STOPPED, null);
    }

    /**
     * Starts the server unless it runs: extracts the binaries and runs {@code initdb} on first use,
     * then {@code pg_ctl start} and waits until the server accepts connections.
     *
     * @return true when this call started it, false when it was already running
     * @throws EmbeddedException when the binaries are missing, the port is taken, the data
     *                           directory belongs to another major version, or the server fails
     *                           (with the last lines of its log)
     */
    public boolean start() {
        synchronized (JVM_LOCK) {
            try (InstanceLock ignored = lock()) {
                Status status = status();
                if (status.state() == State.RUNNING) {
                    return false;
                }
                Path install = PostgresBinaries.install(config.version(), config.home(), env, notes);
                user.checkReachable(install);
                if (status.state() == State.NOT_INITIALISED) {
                    initialise(install);
                } else {
                    checkMajorVersion();
                }
                int port = port();
                if (!free(port)) {
                    throw new EmbeddedException("port " + port + " on 127.0.0.1 is taken by another program; start the "
                            + "embedded server on another port: strata db start --port N");
                }
                ServerUser.Result result = user.run(List.of(program(install, "pg_ctl"), "-D", dataDirectory().toString(),
                        "-l", logFile().toString(), "-w", "-t", String.valueOf(PG_CTL_WAIT_SECONDS),
                        "-o", "-p " + port, "start"), config.instanceDir(), PROGRAM_TIMEOUT);
                if (result.exitCode() != 0) {
                    throw new EmbeddedException("the embedded PostgreSQL " + config.version() + " did not start: "
                            + result.tail(2) + "; last lines of " + logFile() + ": " + logTail(3));
                }
                return true;
            }
        }
    }

    /**
     * Stops the server if it runs ({@code pg_ctl stop -m fast}: open sessions are rolled back and
     * disconnected); the data stays.
     *
     * @return true when this call stopped it, false when it was not running
     */
    public boolean stop() {
        synchronized (JVM_LOCK) {
            try (InstanceLock ignored = lock()) {
                if (status().state() != State.RUNNING) {
                    return false;
                }
                Path install = PostgresBinaries.install(config.version(), config.home(), env, notes);
                ServerUser.Result result = user.run(List.of(program(install, "pg_ctl"), "-D", dataDirectory().toString(),
                        "-m", "fast", "-w", "-t", String.valueOf(PG_CTL_WAIT_SECONDS), "stop"), config.instanceDir(), PROGRAM_TIMEOUT);
                if (result.exitCode() != 0 && status().state() == State.RUNNING) {
                    throw new EmbeddedException("the embedded PostgreSQL in " + dataDirectory() + " did not stop: " + result.tail(2));
                }
                return true;
            }
        }
    }

    /**
     * The server's port: the one asked for (stored unless the server runs on another), else the
     * stored one, else {@link EmbeddedConfig#DEFAULT_PORT} or the first free port above it,
     * stored beside the data so that the URL stays the same.
     */
    public int port() {
        Path file = config.instanceDir().resolve("port");
        Integer stored = readPort(file);
        if (config.port() != null && !config.port().equals(stored)
                && (stored == null || status().state() != State.RUNNING)) {
            writePort(file, config.port());
            return config.port();
        }
        if (stored != null) {
            return stored;
        }
        int chosen = firstFreePort(EmbeddedConfig.DEFAULT_PORT);
        writePort(file, chosen);
        return chosen;
    }

    /** The port stored beside the data, if a start or {@link #port()} chose one already. */
    public Optional<Integer> storedPort() {
        return Optional.ofNullable(readPort(config.instanceDir().resolve("port")));
    }

    /** The connection URL, e.g. {@code postgresql://postgres@127.0.0.1:54329/postgres} (there is no password). */
    public String url() {
        return "postgresql://" + SUPERUSER + "@127.0.0.1:" + port() + "/postgres";
    }

    private void initialise(Path install) {
        createInstanceDirectory();
        user.checkReachable(config.instanceDir());
        user.own(config.instanceDir()); // also when --data-dir named an existing directory
        Path data = dataDirectory();
        notes.accept("initialising a PostgreSQL " + config.major() + " data directory in " + data + " (first use)"
                + (user.switched() ? ", run by user " + user.name() : ""));
        List<String> initdb = new ArrayList<>(List.of(program(install, "initdb"), "-D", data.toString(),
                "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-locale"));
        if ("off".equals(config.settings().get("fsync"))) {
            initdb.add("--no-sync");
        }
        ServerUser.Result result = user.run(initdb, config.instanceDir(), PROGRAM_TIMEOUT);
        if (result.exitCode() != 0) {
            throw new EmbeddedException("initdb failed for " + data + ": " + result.tail(3));
        }
        StringBuilder conf = new StringBuilder("\n# Written by strata (dev.strata.embedded.EmbeddedPostgres): "
                + "TCP on 127.0.0.1 only, no Unix socket; the port is passed by pg_ctl -o -p.\n"
                + "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\n");
        config.settings().forEach((key, value) -> conf.append(key).append(" = '").append(value.replace("'", "''")).append("'\n"));
        try {
            Files.writeString(data.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new EmbeddedException("cannot configure " + data + ": " + e.getMessage());
        }
    }

    private void checkMajorVersion() {
        try {
            String major = Files.readString(dataDirectory().resolve("PG_VERSION")).trim();
            if (!major.equals(config.major())) {
                throw new EmbeddedException(dataDirectory() + " holds a PostgreSQL " + major + " database, which PostgreSQL "
                        + config.version() + " cannot open; use a " + major + ".x version (--pg-version) or another --data-dir");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createInstanceDirectory() {
        if (Files.isDirectory(config.instanceDir())) {
            return;
        }
        try {
            PostgresBinaries.createDirectories(config.instanceDir());
        } catch (IOException e) {
            throw new EmbeddedException("cannot create " + config.instanceDir() + ": " + e.getMessage());
        }
        user.checkReachable(config.instanceDir());
        // initdb creates data/ and pg_ctl writes server.log here as the server user.
        user.own(config.instanceDir());
    }

    private InstanceLock lock() {
        createInstanceDirectory();
        Path file = config.instanceDir().resolve(".lock");
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new InstanceLock(channel, channel.lock());
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new EmbeddedException("cannot lock " + file + ": " + e.getMessage());
        }
    }

    /** The file lock that serialises starting and stopping one instance across processes. */
    private record InstanceLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock in any case
            }
        }
    }

    private String logTail(int n) {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8).stream()
                    .filter(l -> !l.isBlank()).toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String program(Path install, String name) {
        return install.resolve("bin").resolve(name).toString();
    }

    private static Integer readPort(Path file) {
        try {
            return Files.isRegularFile(file) ? Integer.valueOf(Files.readString(file).trim()) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private void writePort(Path file, int port) {
        createInstanceDirectory();
        try {
            Files.writeString(file, port + "\n");
        } catch (IOException e) {
            throw new EmbeddedException("cannot write " + file + ": " + e.getMessage());
        }
    }

    /** The first port from {@code from} up that nothing listens on at 127.0.0.1. */
    static int firstFreePort(int from) {
        for (int port = from; port < from + 100 && port <= 65535; port++) {
            if (free(port)) {
                return port;
            }
        }
        throw new EmbeddedException("no free port in " + from + "–" + (from + 99) + " on 127.0.0.1; choose one: strata db start --port N");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As PostgreSQL does: connections the last server closed linger in TIME_WAIT and must
            // not count as "taken"; a listening socket still does.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
