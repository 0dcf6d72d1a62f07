package dev.strata.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * libpq's password file, {@code ~/.pgpass} or {@code PGPASSFILE} (PostgreSQL docs, "The Password
 * File", 34.16): lines {@code hostname:port:database:username:password}, {@code *} matching anything
 * in the first four fields, {@code \:} and {@code \\} as escapes, {@code #} comments, the first
 * matching line wins, and the file ignored (with libpq's warning) when group or others may read it.
 */
public final class PgPass {

    private static final Set<PosixFilePermission> GROUP_OR_WORLD = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PgPass() {
    }

    /** The file libpq would read: the {@code passfile} parameter, else {@code PGPASSFILE}, else {@code ~/.pgpass}. */
    public static Path location(String passfile, Map<String, String> env) {
        if (passfile != null && !passfile.isBlank()) {
            return Path.of(passfile);
        }
        String variable = env.get("PGPASSFILE");
        if (variable != null && !variable.isBlank()) {
            return Path.of(variable);
        }
        return home(env).resolve(".pgpass");
    }

    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /**
     * The password of the first line matching host, port, database and user, if any.
     *
     * @param warnings receives libpq's warning when the file is ignored for its permissions
     */
    public static Optional<String> lookup(Path file, String host, int port, String database, String user,
                                          List<String> warnings) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(GROUP_OR_WORLD::contains)) {
                warnings.add("WARNING: password file \"" + file + "\" has group or world access; permissions should be "
                        + "u=rw (0600) or less (chmod 0600 " + file + "); it was ignored");
                return Optional.empty();
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: libpq skips the check there too
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            warnings.add("WARNING: cannot read the password file " + file + ": " + e.getMessage());
            return Optional.empty();
        }
        // libpq compares "localhost" for local sockets; a TCP host name is compared as written.
        String[] wanted = {host, String.valueOf(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = fields(line);
            if (fields.size() < 5) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < 4 && matches; i++) {
                matches = fields.get(i).equals("*") || fields.get(i).equals(wanted[i]);
            }
            if (matches) {
                Secrets.remember(fields.get(4));
                return Optional.of(fields.get(4));
            }
        }
        return Optional.empty();
    }

    /** Splits at unescaped ':' into five fields; as in libpq, the password ends at the next unescaped ':'. */
    static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ':' && fields.size() < 4) {
                fields.add(current.toString());
                current.setLength(0);
            } else if (c == ':') {
                break;
            } else {
                current.append(c);
            }
        }
        fields.add(current.toString());
        return fields;
    }
}
