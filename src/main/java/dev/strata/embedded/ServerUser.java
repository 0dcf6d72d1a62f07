package dev.strata.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operating-system user the embedded server runs as, and how its programs are started.
 *
 * <p>PostgreSQL refuses to run as root ({@code initdb}, {@code pg_ctl} and {@code postgres} check
 * the effective user id: a server compromised through SQL must not own the machine). When Strata
 * runs as root, the server therefore runs as an unprivileged user, {@code postgres} by default
 * ({@code STRATA_EMBEDDED_USER} names another), through {@code runuser -u USER --}, and that user
 * owns the server's directory. Otherwise the server runs as the current user.
 */
public final class ServerUser {

    /** The user a root Strata runs the server as unless {@code STRATA_EMBEDDED_USER} says otherwise. */
    public static final String DEFAULT_USER = "postgres";

    private static final List<Path> RUNUSER = List.of(Path.of("/usr/sbin/runuser"), Path.of("/sbin/runuser"),
            Path.of("/usr/bin/runuser"), Path.of("/bin/runuser"));

    private final String name;
    private final UserPrincipal principal;
    private final Path runuser;

    private ServerUser(String name, UserPrincipal principal, Path runuser) {
        this.name = name;
        this.principal = principal;
        this.runuser = runuser;
    }

    /**
     * The current user when it is not root; as root, the user named by {@code STRATA_EMBEDDED_USER}
     * (default {@code postgres}).
     *
     * @throws EmbeddedException as root, when that user does not exist or {@code runuser} is missing;
     *                           the message gives the alternatives
     */
    public static ServerUser detect(Map<String, String> env) {
        if (!isRoot()) {
            return new ServerUser(System.getProperty("user.name"), null, null);
        }
        String user = env.getOrDefault("STRATA_EMBEDDED_USER", "").isBlank() ? DEFAULT_USER : env.get("STRATA_EMBEDDED_USER").trim();
        if ("root".equals(user)) {
            throw new EmbeddedException("STRATA_EMBEDDED_USER=root: PostgreSQL refuses to run as root; name an unprivileged user");
        }
        UserPrincipal principal;
        try {
            principal = Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new EmbeddedException("PostgreSQL refuses to run as root and there is no user '" + user
                    + "' to run the embedded server as: create one (useradd --system --user-group " + user
                    + "), set STRATA_EMBEDDED_USER to an unprivileged user, run strata as a normal user, "
                    + "or configure a database (--url or DATABASE_URL)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path runuser = RUNUSER.stream().filter(Files::isExecutable).findFirst().orElseThrow(() -> new EmbeddedException(
                "PostgreSQL refuses to run as root, and runuser (util-linux) is not installed to run the embedded server as '"
                        + user + "': install util-linux, run strata as a normal user, or configure a database (--url or DATABASE_URL)"));
        return new ServerUser(user, principal, runuser);
    }

    /**
     * True when this process's effective user id is 0 (Linux: the second field of {@code Uid:} in
     * {@code /proc/self/status}; elsewhere: the user name is {@code root}).
     */
    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] ids = line.substring(4).trim().split("\\s+");
                    return ids.length > 1 && "0".equals(ids[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }

    /** The user name, e.g. {@code postgres}. */
    public String name() {
        return name;
    }

    /** True when the server runs as another user than this process (Strata runs as root). */
    public boolean switched() {
        return principal != null;
    }

    /** Gives {@code path} (not what lies below it) to the server user; a no-op unless {@link #switched()}. */
    public void own(Path path) {
        if (!switched()) {
            return;
        }
        try {
            Files.setOwner(path, principal);
        } catch (IOException e) {
            throw new EmbeddedException("cannot give " + path + " to user " + name + ": " + e.getMessage());
        }
    }

    /**
     * Checks that the server user can reach {@code dir}: every existing ancestor is searchable by
     * others (mode o+x) or belongs to that user. A no-op unless {@link #switched()}.
     *
     * @throws EmbeddedException naming the first directory the user cannot enter
     */
    public void checkReachable(Path dir) {
        if (!switched()) {
            return;
        }
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (!Files.isDirectory(p)) {
                continue;
            }
            try {
                PosixFileAttributes attributes = Files.readAttributes(p, PosixFileAttributes.class);
                if (!attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE)
                        && !attributes.owner().equals(principal)) {
                    throw new EmbeddedException("the embedded server runs as user " + name + ", who cannot enter " + p
                            + " (mode " + java.nio.file.attribute.PosixFilePermissions.toString(attributes.permissions())
                            + "); choose a data directory outside it (--data-dir, or XDG_DATA_HOME)");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Runs a program as the server user and waits for it, with {@code PG*} variables removed from
     * its environment (they would override the data directory or port) and {@code LC_ALL=C}.
     *
     * @param command   the program and its arguments, absolute path first
     * @param directory the working directory (one the server user may enter)
     * @param timeout   how long to wait before killing it
     * @return the exit code and everything the program printed (stdout and stderr together)
     */
    public Result run(List<String> command, Path directory, Duration timeout) {
        List<String> full = new ArrayList<>();
        if (switched()) {
            full.addAll(List.of(runuser.toString(), "-u", name, "--"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
        builder.environment().put("LC_ALL", "C");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> copy(process.getInputStream(), output), "embedded-postgres-output");
            reader.setDaemon(true);
            reader.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedException(Path.of(command.get(0)).getFileName() + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            reader.join(5000);
            synchronized (output) {
                return new Result(process.exitValue(), output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new EmbeddedException("cannot run " + full.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedException("interrupted while running " + Path.of(command.get(0)).getFileName());
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended; what was read is kept
        }
    }

    /**
     * What a program returned.
     *
     * @param exitCode its exit code
     * @param output   what it printed on stdout and stderr
     */
    public record Result(int exitCode, String output) {
        /** The last {@code n} non-blank lines of the output, joined with "; ", for error messages. */
        public String tail(int n) {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
            return String.join("; ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
