package dev.strata.catalog;

import dev.strata.api.Migration;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
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

    /**
     * {@code NNN_description.sql}: 3+ digits, an underscore, a description of word characters; the
     * extension in any case ({@code .SQL} is what some editors and Windows tools write).
     */
    static final Pattern NAME = Pattern.compile("(\\d{3,})_([A-Za-z0-9][A-Za-z0-9_\\-.]*)\\.(?i:sql)");

    private static final Pattern VERIFY_NAME = Pattern.compile("(\\d{3,})_([A-Za-z0-9][A-Za-z0-9_\\-.]*)\\.(?i:verify\\.sql)");

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
        return fromClasspath(classes, classLoader, false);
    }

    /**
     * The bundled catalog, as {@link #fromClasspath(Iterable, ClassLoader)}.
     *
     * @param allowEmpty false to refuse a classpath without migrations (a build that lost them)
     * @throws CatalogException listing every problem, or saying that no migration was found
     */
    public static Catalog fromClasspath(Iterable<? extends Migration> classes, ClassLoader classLoader,
                                        boolean allowEmpty) {
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
        Catalog catalog = build("classpath:" + CLASSPATH_LOCATION, files, list, true);
        if (catalog.size() == 0 && !allowEmpty) {
            throw new CatalogException(List.of(nothingFound(catalog.location(), names)));
        }
        return catalog;
    }

    /**
     * A catalog of SQL-only migrations in a directory; one without any migration is an error.
     *
     * @throws CatalogException when the directory is missing, holds no migration, or any entry is bad
     */
    public static Catalog fromDirectory(Path directory) {
        return fromDirectory(directory, false);
    }

    /**
     * A catalog of SQL-only migrations in a directory, laid out as {@link StrataLayout} says (files
     * directly in it; SQL files in subdirectories, broken or looping links are errors naming them).
     * Metadata comes from header comments ({@code -- Description: …}, {@code -- Dependencies: 7, 10});
     * an optional {@code NNN_description.verify.sql} beside a file is its verify step.
     *
     * @param allowEmpty true to accept a directory without migrations (an empty catalog)
     * @throws CatalogException when the directory is missing, holds no migration (unless allowed),
     *                          or any entry is bad; each problem names its file
     */
    public static Catalog fromDirectory(Path directory, boolean allowEmpty) {
        if (!Files.isDirectory(directory)) {
            throw new CatalogException(List.of("migration location " + directory
                    + (Files.exists(directory) ? " is not a directory" : " does not exist")
                    + "; pass an existing folder with --location or STRATA_LOCATION"));
        }
        CatalogDirectory.Discovery found = CatalogDirectory.discover(directory, StrataLayout.INSTANCE);
        List<SourceFile> files = found.files().stream().map(f -> readFile(f.path())).toList();
        List<String> problems = new ArrayList<>(found.problems());
        Catalog catalog = null;
        try {
            catalog = build(directory.toString(), files, List.of(), false);
        } catch (CatalogException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        if (catalog.size() == 0 && !allowEmpty) {
            throw new CatalogException(List.of(nothingFound(directory.toString(), found.others())));
        }
        return catalog;
    }

    /**
     * A catalog merged from one or more directories, each read in {@code layout} ({@code auto}: detected
     * per directory, see {@link Layouts}); every directory must end up in the same layout.
     *
     * @param allowEmpty true to accept locations without migrations (an empty catalog)
     * @throws CatalogException when a directory is missing, the layouts differ or are unknown, two files
     *                          share a version (naming both), no migration is found (unless allowed), or
     *                          any entry is bad; each problem names its file
     */
    public static Catalog fromLocations(List<Path> directories, String layout, boolean allowEmpty) {
        List<String> problems = new ArrayList<>();
        Map<Path, CatalogLayout> layouts = new java.util.LinkedHashMap<>();
        for (Path directory : directories) {
            if (!Files.isDirectory(directory)) {
                problems.add(missing(directory));
            } else {
                layouts.put(directory, Layouts.forLocation(directory, layout));
            }
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        layouts.values().forEach(l -> names.add(l.name()));
        if (names.size() > 1) {
            problems.add("the locations are in different layouts (" + String.join(", ", layouts.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue().name()).toList())
                    + "); pass locations of one tool, or --layout to read them all one way");
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        if (names.equals(java.util.Set.of("strata")) && directories.size() == 1) {
            return fromDirectory(directories.get(0), allowEmpty);
        }
        String display = String.join(", ", directories.stream().map(Path::toString).toList());
        Catalog catalog = names.equals(java.util.Set.of("strata"))
                ? fromStrataDirectories(display, layouts.keySet())
                : ToolCatalog.build(display, names.iterator().next(), layouts.entrySet().stream()
                        .map(e -> new ToolCatalog.Source(e.getKey(), (ToolLayout) e.getValue())).toList());
        if (catalog.size() == 0 && !allowEmpty) {
            throw new CatalogException(List.of(nothingFound(display, List.of())));
        }
        return catalog;
    }

    private static Catalog fromStrataDirectories(String display, java.util.Collection<Path> directories) {
        List<String> problems = new ArrayList<>();
        List<SourceFile> files = new ArrayList<>();
        for (Path directory : directories) {
            CatalogDirectory.Discovery found = CatalogDirectory.discover(directory, StrataLayout.INSTANCE);
            problems.addAll(found.problems());
            found.files().forEach(f -> files.add(readFile(f.path())));
        }
        try {
            Catalog catalog = build(display, files, List.of(), false);
            if (problems.isEmpty()) {
                return catalog;
            }
        } catch (CatalogException e) {
            problems.addAll(e.problems());
        }
        throw new CatalogException(problems);
    }

    private static String missing(Path directory) {
        return "migration location " + directory + (Files.exists(directory) ? " is not a directory" : " does not exist")
                + "; pass an existing folder with --location or STRATA_LOCATION";
    }

    private static String nothingFound(String location, List<String> entries) {
        return "no migrations found in " + location + "; "
                + (entries.isEmpty() ? "the folder is empty" : "files there: " + CatalogDirectory.shortList(entries))
                + "; migrations are files named NNN_description.sql (e.g. 001_init.sql); "
                + "pass --allow-empty if an empty location is intended";
    }

    static SourceFile readFile(Path path) {
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
    public static Catalog build(String location, List<SourceFile> files, List<Migration> classes, boolean requireClasses) {
        List<String> problems = new ArrayList<>();
        Map<Long, SourceFile> sqlByNumber = new TreeMap<>();
        Map<String, SourceFile> verifyByStem = new HashMap<>();
        for (SourceFile file : files) {
            CatalogLayout.Role role = StrataLayout.INSTANCE.classify(file.fileName());
            if (role == CatalogLayout.Role.NEVER_RUN) {
                continue;
            }
            if (role == CatalogLayout.Role.VERIFY && VERIFY_NAME.matcher(file.fileName()).matches()) {
                verifyByStem.put(StrataLayout.verifyStem(file.fileName()), file);
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
            boolean paired = sqlByNumber.values().stream().anyMatch(f -> StrataLayout.stem(f.fileName()).equals(e.getKey()));
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
                            + "Migration" + CatalogMigration.format(e.getKey()) + " extending dev.strata.api.Migration "
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
        String sql = SourceText.decode(file, problems);
        if (sql == null) {
            return null;
        }
        if (sql.replace("\uFEFF", "").isBlank()) {
            problems.add(file.display() + ": empty migration file; write the SQL or delete the file");
            return null;
        }
        String name = StrataLayout.stem(file.fileName());
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
            String verifySql = verifyFile.bytes() == null ? null : SourceText.decode(verifyFile, problems);
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

    /** SHA-256 of the bytes as 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }

    private static boolean isSqlName(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).endsWith(StrataLayout.SQL);
    }

    private static List<String> listClasspath(ClassLoader classLoader) {
        try (InputStream index = classLoader.getResourceAsStream(CLASSPATH_INDEX)) {
            if (index != null) {
                return new String(index.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(CatalogLoader::isSqlName).sorted().toList();
            }
        } catch (IOException e) {
            throw new CatalogException(List.of("cannot read " + CLASSPATH_INDEX + ": " + e.getMessage()));
        }
        // Running from an IDE or exploded classes without the Maven-generated index: list the folder.
        URL url = classLoader.getResource(CLASSPATH_LOCATION);
        if (url != null && "file".equals(url.getProtocol())) {
            try (var stream = Files.list(Path.of(url.toURI()))) {
                return stream.map(p -> p.getFileName().toString()).filter(CatalogLoader::isSqlName).sorted().toList();
            } catch (IOException | URISyntaxException e) {
                throw new CatalogException(List.of("cannot list " + url + ": " + e.getMessage()));
            }
        }
        return List.of();
    }
}
