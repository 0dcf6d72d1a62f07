package dev.strata.migration;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a {@link Catalog}: reads the SQL files, pairs them with migration classes (bundled set)
 * or file headers (SQL-only directory), and refuses, naming the files, anything inconsistent.
 * No database is touched.
 */
public final class CatalogLoader {

    /** Classpath folder of the bundled migrations. */
    public static final String CLASSPATH_LOCATION = "db/migrations";

    /** Build-time list of the bundled SQL files (one name a line), written by the Maven build. */
    public static final String CLASSPATH_INDEX = CLASSPATH_LOCATION + "/INDEX";

    /** Largest migration file accepted, in bytes (64 MiB); larger files are usually data dumps. */
    public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

    /** {@code NNN_description.sql}: 3+ digits, an underscore, a description of word characters. */
    static final Pattern NAME = Pattern.compile("(\\d{3,})_([A-Za-z0-9][A-Za-z0-9_\\-.]*)\\.sql");

    /**
     * golang-migrate's pairs: {@code NNN_x.up.sql} is migration NNN (named {@code NNN_x}); its
     * {@code NNN_x.down.sql} is ignored, since a forward-only tool never runs it.
     */
    static final String UP_SUFFIX = ".up.sql";
    static final String DOWN_SUFFIX = ".down.sql";

    private static final Pattern VERIFY_NAME = Pattern.compile("(\\d{3,})_([A-Za-z0-9][A-Za-z0-9_\\-.]*)\\.verify\\.sql");

    private CatalogLoader() {
    }

    /**
     * The bundled catalog: SQL files under {@code db/migrations/} on the classpath, each paired
     * with one {@link Migration} bean.
     *
     * @param classes     every migration bean
     * @param classLoader where to find the SQL resources
     * @throws CatalogException listing every problem, each naming its file or class
     */
    public static Catalog fromClasspath(Iterable<? extends Migration> classes, ClassLoader classLoader) {
        List<String> names = listClasspath(classLoader);
        List<SourceFile> files = new ArrayList<>();
        for (String name : names) {
            String resource = CLASSPATH_LOCATION + "/" + name;
            try (InputStream in = classLoader.getResourceAsStream(resource)) {
                files.add(in == null
                        ? new SourceFile(name, resource, null, "listed in the index but not on the classpath")
                        : new SourceFile(name, resource, in.readAllBytes(), null));
            } catch (IOException e) {
                files.add(new SourceFile(name, resource, null, e.getMessage()));
            }
        }
        List<Migration> list = new ArrayList<>();
        classes.forEach(list::add);
        return build("classpath:" + CLASSPATH_LOCATION, files, list, true);
    }

    /**
     * A catalog of SQL-only migrations in a directory (not recursive). Metadata comes from header
     * comments ({@code -- Description: …}, {@code -- Dependencies: 7, 10}); an optional
     * {@code NNN_description.verify.sql} beside a file is its verify step.
     *
     * @throws CatalogException when the directory is missing or any file is bad
     */
    public static Catalog fromDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new CatalogException(List.of("migration location " + directory
                    + (Files.exists(directory) ? " is not a directory" : " does not exist")
                    + "; pass an existing folder with --location or STRATA_LOCATION"));
        }
        List<SourceFile> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.sql")) {
            for (Path path : stream) {
                if (Files.isRegularFile(path)) {
                    files.add(readFile(path));
                }
            }
        } catch (IOException e) {
            throw new CatalogException(List.of("cannot list " + directory + ": " + e.getMessage()));
        }
        files.sort(Comparator.comparing(SourceFile::fileName));
        return build(directory.toString(), files, List.of(), false);
    }

    private static SourceFile readFile(Path path) {
        try {
            long size = Files.size(path);
            if (size > MAX_FILE_BYTES) {
                return new SourceFile(path.getFileName().toString(), path.toString(), null,
                        "is " + size + " bytes, over the " + MAX_FILE_BYTES + "-byte limit; split it or load data with COPY outside migrations");
            }
            return new SourceFile(path.getFileName().toString(), path.toString(), Files.readAllBytes(path), null);
        } catch (IOException e) {
            return new SourceFile(path.getFileName().toString(), path.toString(), null,
                    "cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); check its permissions");
        }
    }

    /**
     * Validates and pairs files and classes; the pure core of both loaders.
     *
     * @param requireClasses true for the bundled set (every SQL file needs a class)
     */
    static Catalog build(String location, List<SourceFile> files, List<Migration> classes, boolean requireClasses) {
        List<String> problems = new ArrayList<>();
        Map<Long, SourceFile> sqlByNumber = new TreeMap<>();
        Map<String, SourceFile> verifyByStem = new HashMap<>();
        for (SourceFile file : files) {
            if (file.fileName().endsWith(DOWN_SUFFIX)) {
                // golang-migrate's down half: a forward-only tool never runs it.
                continue;
            }
            Matcher verify = VERIFY_NAME.matcher(file.fileName());
            if (verify.matches()) {
                verifyByStem.put(file.fileName().substring(0, file.fileName().length() - ".verify.sql".length()), file);
                continue;
            }
            Matcher m = NAME.matcher(file.fileName());
            if (!m.matches()) {
                problems.add(file.display() + ": malformed migration file name; expected NNN_description.sql "
                        + "(3 or more digits, an underscore, letters, digits or underscores), e.g. 017_add_invoices.sql");
                continue;
            }
            long number = parseNumber(m.group(1), file, problems);
            if (number < 0) {
                continue;
            }
            SourceFile previous = sqlByNumber.putIfAbsent(number, file);
            if (previous != null) {
                problems.add(file.display() + ": duplicate migration number " + CatalogMigration.format(number)
                        + ", also used by " + previous.display() + "; renumber one of them");
            }
        }
        for (Map.Entry<String, SourceFile> e : verifyByStem.entrySet()) {
            boolean paired = sqlByNumber.values().stream().anyMatch(f -> f.fileName().equals(e.getKey() + ".sql")
                    || f.fileName().equals(e.getKey() + UP_SUFFIX));
            if (!paired) {
                problems.add(e.getValue().display() + ": verify file without a migration " + e.getKey()
                        + ".sql; rename it to match its migration");
            }
        }

        Map<Long, Migration> classByNumber = new TreeMap<>();
        for (Migration migration : classes) {
            String className = migration.getClass().getName().replaceAll("_Subclass$|_ClientProxy$", "");
            Migration previous = classByNumber.putIfAbsent((long) migration.number(), migration);
            if (previous != null) {
                problems.add(className + ": duplicate migration number " + CatalogMigration.format(migration.number())
                        + ", also declared by " + previous.getClass().getName() + "; renumber one of them");
                continue;
            }
            Matcher m = NAME.matcher(migration.sqlFile() == null ? "" : migration.sqlFile());
            if (!m.matches()) {
                problems.add(className + ": sqlFile '" + migration.sqlFile()
                        + "' is not a migration file name NNN_description.sql");
            } else if (Long.parseLong(m.group(1)) != migration.number()) {
                problems.add(className + ": number " + migration.number() + " does not match its sqlFile "
                        + migration.sqlFile() + "; make them agree");
            } else if (files.stream().noneMatch(f -> f.fileName().equals(migration.sqlFile()))) {
                SourceFile file = sqlByNumber.get((long) migration.number());
                problems.add(className + ": declares " + location + "/" + migration.sqlFile()
                        + ", which does not exist" + (file == null ? "" : " (the file for number "
                        + migration.number() + " is " + file.display() + ")")
                        + "; create the file or fix sqlFile()");
            }
        }
        if (requireClasses) {
            for (Map.Entry<Long, SourceFile> e : sqlByNumber.entrySet()) {
                if (!classByNumber.containsKey(e.getKey())) {
                    problems.add(e.getValue().display() + ": SQL file without a migration class; add a class "
                            + "Migration" + CatalogMigration.format(e.getKey()) + " extending dev.strata.migration.Migration "
                            + "(or run: strata create)");
                }
            }
        }

        List<CatalogMigration> migrations = new ArrayList<>();
        for (Map.Entry<Long, SourceFile> e : sqlByNumber.entrySet()) {
            CatalogMigration m = toMigration(e.getKey(), e.getValue(), classByNumber.get(e.getKey()),
                    verifyByStem, requireClasses, problems);
            if (m != null) {
                migrations.add(m);
            }
        }
        for (CatalogMigration m : migrations) {
            for (long dependency : m.dependencies()) {
                if (!sqlByNumber.containsKey(dependency)) {
                    problems.add(m.file() + ": depends on migration " + CatalogMigration.format(dependency)
                            + ", which is not in " + location + "; add it or remove the dependency");
                } else if (dependency == m.number()) {
                    problems.add(m.file() + ": depends on itself; remove " + CatalogMigration.format(dependency)
                            + " from its dependencies");
                }
            }
        }
        // Plan over the known dependencies even when some are unknown, so a cycle is reported
        // together with the other problems instead of after they are fixed.
        java.util.Set<Long> built = new java.util.HashSet<>();
        migrations.forEach(m -> built.add(m.number()));
        List<CatalogMigration> plannable = migrations.stream().map(m -> withKnownDependencies(m, built)).toList();
        Planner.Result plan = Planner.order(plannable);
        if (!plan.cycle().isEmpty()) {
            Map<Long, String> names = new HashMap<>();
            migrations.forEach(m -> names.put(m.number(), m.file()));
            List<String> steps = plan.cycle().stream().map(names::get).toList();
            problems.add("dependency cycle: " + String.join(" -> ", steps)
                    + " (-> means 'depends on'); remove one of these dependencies");
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(location, plan.ordered());
    }

    private static CatalogMigration withKnownDependencies(CatalogMigration m, java.util.Set<Long> known) {
        List<Long> deps = m.dependencies().stream().filter(d -> known.contains(d) && d != m.number()).toList();
        if (deps.size() == m.dependencies().size()) {
            return m;
        }
        return new CatalogMigration(m.number(), m.name(), m.file(), m.sql(), m.executableSql(), m.checksum(),
                m.sizeBytes(), m.description(), deps, m.transactional(), m.allowances(), m.verifier(), m.origin());
    }

    private static long parseNumber(String digits, SourceFile file, List<String> problems) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            problems.add(file.display() + ": migration number " + digits + " is too large");
            return -1;
        }
    }

    private static CatalogMigration toMigration(long number, SourceFile file, Migration migration,
                                                Map<String, SourceFile> verifyByStem, boolean requireClasses,
                                                List<String> problems) {
        if (file.bytes() == null) {
            problems.add(file.display() + ": " + file.readError());
            return null;
        }
        if (file.bytes().length > MAX_FILE_BYTES) {
            problems.add(file.display() + ": is " + file.bytes().length + " bytes, over the "
                    + MAX_FILE_BYTES + "-byte limit");
            return null;
        }
        String sql = decode(file, problems);
        if (sql == null) {
            return null;
        }
        if (sql.replace("\uFEFF", "").isBlank()) {
            problems.add(file.display() + ": empty migration file; write the SQL or delete the file");
            return null;
        }
        String name = file.fileName().endsWith(UP_SUFFIX)
                ? file.fileName().substring(0, file.fileName().length() - UP_SUFFIX.length())
                : file.fileName().substring(0, file.fileName().length() - ".sql".length());
        String executable = SqlFileSections.executablePart(sql);
        if (migration != null) {
            String className = migration.getClass().getName().replaceAll("_Subclass$|_ClientProxy$", "");
            List<Long> deps = migration.dependencies().stream().map(Integer::longValue).sorted().toList();
            Migration bean = migration;
            Verifier verifier = new Verifier() {
                @Override
                public io.smallrye.mutiny.Uni<Void> verify(io.vertx.mutiny.sqlclient.SqlConnection connection) {
                    return bean.verify(connection);
                }

                @Override
                public String source() {
                    return className + "#verify";
                }
            };
            return new CatalogMigration(number, name, file.display(), sql, executable, sha256(file.bytes()),
                    file.bytes().length, migration.description(), deps, migration.transactional(),
                    Map.copyOf(migration.allowances()), verifier, className);
        }
        if (requireClasses) {
            return null; // reported as "SQL file without a migration class"
        }
        SqlFileHeader header = SqlFileHeader.parse(file.display(), sql, problems);
        if (header == null) {
            return null;
        }
        Verifier verifier = Verifier.NONE;
        SourceFile verifyFile = verifyByStem.get(name);
        if (verifyFile != null) {
            String verifySql = verifyFile.bytes() == null ? null : decode(verifyFile, problems);
            if (verifyFile.bytes() == null) {
                problems.add(verifyFile.display() + ": " + verifyFile.readError());
            }
            if (verifySql == null) {
                return null;
            }
            verifier = new SqlVerifier(verifyFile.display(), verifySql);
        }
        String description = header.description() != null ? header.description()
                : name.substring(name.indexOf('_') + 1).replace('_', ' ');
        return new CatalogMigration(number, name, file.display(), sql, executable, sha256(file.bytes()),
                file.bytes().length, description, header.dependencies(), header.transactional(),
                header.allowances(), verifier, "SQL file header");
    }

    private static String decode(SourceFile file, List<String> problems) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return decoder.decode(ByteBuffer.wrap(file.bytes())).toString();
        } catch (CharacterCodingException e) {
            int offset = firstInvalidUtf8(file.bytes());
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (file.bytes()[i] == '\n') {
                    line++;
                }
            }
            problems.add(file.display() + ":" + line + ": invalid UTF-8 at byte " + offset
                    + "; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
            return null;
        }
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : bytes.length;
    }

    /** SHA-256 of the bytes as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static List<String> listClasspath(ClassLoader classLoader) {
        try (InputStream index = classLoader.getResourceAsStream(CLASSPATH_INDEX)) {
            if (index != null) {
                return new String(index.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(s -> s.endsWith(".sql")).sorted().toList();
            }
        } catch (IOException e) {
            throw new CatalogException(List.of("cannot read " + CLASSPATH_INDEX + ": " + e.getMessage()));
        }
        // Running from an IDE or exploded classes without the Maven-generated index: list the folder.
        URL url = classLoader.getResource(CLASSPATH_LOCATION);
        if (url != null && "file".equals(url.getProtocol())) {
            try (var stream = Files.list(Path.of(url.toURI()))) {
                return stream.map(p -> p.getFileName().toString()).filter(s -> s.endsWith(".sql")).sorted().toList();
            } catch (IOException | URISyntaxException e) {
                throw new CatalogException(List.of("cannot list " + url + ": " + e.getMessage()));
            }
        }
        return List.of();
    }
}
