package dev.strata.catalog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a {@link Catalog} from locations in other tools' layouts: each file named as its
 * {@link ToolLayout} says, ordered by the tool's version (as numbers) or plan, headers and sidecars
 * read for metadata. Migration numbers are the versions where every version is one group that fits
 * a {@code long}; otherwise (Flyway's {@code 1.2}, 20-digit versions) the 1-based position in version
 * order, the schema history being keyed by name. Refuses, naming both files, a version used twice.
 */
final class ToolCatalog {

    /** A location with the layout it is read in. */
    record Source(Path location, ToolLayout layout) {
    }

    private record Candidate(Named named, SourceFile file, Path path, ToolLayout layout, boolean mixed) {
    }

    private record Named(MigrationVersion version, String name, String description) {
    }

    private static final java.util.regex.Pattern VERIFY_WRAPPER = java.util.regex.Pattern.compile(
            "(?im)^[ \\t]*(?:BEGIN|ROLLBACK)[ \\t]*;[ \\t]*$");

    private final List<String> problems = new ArrayList<>();
    private final List<Candidate> candidates = new ArrayList<>();
    private final Map<String, SourceFile> verifyByName = new HashMap<>();
    private final Set<String> found = new HashSet<>();

    private ToolCatalog() {
    }

    /**
     * Reads every source into one catalog.
     *
     * @param display how to name the catalog's location in messages
     * @throws CatalogException listing every problem, each naming its file
     */
    static Catalog build(String display, String layoutName, List<Source> sources) {
        ToolCatalog builder = new ToolCatalog();
        for (Source source : sources) {
            builder.collect(source);
        }
        return builder.finish(display, layoutName);
    }

    private void collect(Source source) {
        ToolLayout layout = source.layout();
        problems.addAll(layout.metadataProblems());
        CatalogDirectory.Discovery discovery = CatalogDirectory.discover(source.location(), layout);
        boolean mixed = layout.detectsNonTransactionalStatements() && FlywayTransactions.mixedAllowed(source.location(), problems);
        problems.addAll(discovery.problems());
        for (CatalogDirectory.Found f : discovery.files()) {
            SourceFile file = CatalogLoader.readFile(f.path());
            if (f.role() == CatalogLayout.Role.VERIFY) {
                verifyByName.put(layout.verifies(f.relative()), file);
                continue;
            }
            ToolLayout.Named named = layout.name(f.relative());
            if (named.problem() != null) {
                problems.add(file.display() + ": " + named.problem());
                continue;
            }
            found.add(named.name());
            candidates.add(new Candidate(new Named(named.version(), named.name(), named.description()), file, f.path(), layout, mixed));
        }
        for (String declared : new TreeSet<>(layout.declared())) {
            if (!found.contains(declared)) {
                problems.add(source.location() + ": " + layout.name() + " lists " + declared + " but "
                        + source.location().resolve("deploy/" + declared + ".sql") + " does not exist; add the file");
            }
        }
    }

    private Catalog finish(String display, String layoutName) {
        candidates.sort(Comparator.comparing((Candidate c) -> c.named().version()));
        for (int i = 1; i < candidates.size(); i++) {
            Candidate previous = candidates.get(i - 1);
            Candidate current = candidates.get(i);
            if (previous.named().version().compareTo(current.named().version()) == 0) {
                problems.add(current.file().display() + ": version " + current.named().version() + " is also used by "
                        + previous.file().display() + "; give one of them another version or remove it");
            }
        }
        for (Map.Entry<String, SourceFile> verify : verifyByName.entrySet()) {
            if (!found.contains(verify.getKey())) {
                problems.add(verify.getValue().display() + ": verify script without a deploy script "
                        + verify.getKey() + ".sql; rename it to match its change");
            }
        }
        boolean versionsAreNumbers = candidates.stream().allMatch(c -> c.named().version().asLong().isPresent());
        Map<String, Long> numberByName = new LinkedHashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            Named n = candidates.get(i).named();
            numberByName.put(n.name(), versionsAreNumbers ? n.version().asLong().orElseThrow() : i + 1L);
        }
        List<CatalogMigration> migrations = new ArrayList<>();
        for (Candidate c : candidates) {
            CatalogMigration m = toMigration(c, numberByName);
            if (m != null) {
                migrations.add(m);
            }
        }
        Planner.Result plan = Planner.order(migrations);
        if (!plan.cycle().isEmpty()) {
            problems.add("dependency cycle among migration numbers " + plan.cycle()
                    + " (each depends on the next); remove one of these dependencies");
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(display, plan.ordered(), layoutName);
    }

    /**
     * A verify script without Sqitch's {@code BEGIN; … ROLLBACK;} wrapper (its template writes one): it
     * runs inside the migration's own transaction, which a ROLLBACK there would undo. Blanked, so
     * positions still map to the file.
     */
    static String unwrapped(String verifySql) {
        return VERIFY_WRAPPER.matcher(verifySql).replaceAll(r -> " ".repeat(r.group().length()));
    }

    /**
     * The tool's sidecar setting when it has one (Flyway's {@code executeInTransaction} wins over its
     * detection), else the tool's own detection from the statements, else transactional.
     */
    private boolean transactional(Candidate c, String executableSql) {
        Boolean sidecar = c.layout().sidecarTransactional(c.path(), problems);
        if (sidecar != null) {
            return sidecar;
        }
        return !c.layout().detectsNonTransactionalStatements()
                || FlywayTransactions.transactional(c.file().display(), executableSql, c.mixed(), problems);
    }

    private CatalogMigration toMigration(Candidate c, Map<String, Long> numberByName) {
        SourceFile file = c.file();
        if (file.bytes() == null) {
            problems.add(file.display() + ": " + file.readError());
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
        SqlFileHeader header = SqlFileHeader.parse(file.display(), c.layout().headerText(sql), problems);
        if (header == null) {
            return null;
        }
        long number = numberByName.get(c.named().name());
        TreeSet<Long> deps = new TreeSet<>();
        for (long d : header.dependencies()) {
            if (!numberByName.containsValue(d) || d == number) {
                problems.add(file.display() + ": depends on migration " + d + ", which is not another migration "
                        + "of this catalog; add it or remove the dependency");
            }
            deps.add(d);
        }
        for (String required : c.layout().requires(c.named().name())) {
            Long d = numberByName.get(required);
            if (d == null) {
                problems.add(file.display() + ": requires " + required + ", which is not in the catalog; "
                        + "add it to the plan or remove the dependency");
            } else {
                deps.add(d);
            }
        }
        String executable = SqlFileSections.executablePart(sql);
        boolean transactional = header.transactional() && transactional(c, executable);
        Verifier verifier = Verifier.NONE;
        SourceFile verifyFile = verifyByName.get(c.named().name());
        if (verifyFile != null) {
            if (verifyFile.bytes() == null) {
                problems.add(verifyFile.display() + ": " + verifyFile.readError());
                return null;
            }
            String verifySql = SourceText.decode(verifyFile, problems);
            if (verifySql == null) {
                return null;
            }
            verifier = new SqlVerifier(verifyFile.display(), unwrapped(verifySql));
        }
        String description = header.description() != null ? header.description() : c.named().description();
        return new CatalogMigration(number, c.named().name(), file.display(), sql, executable,
                CatalogLoader.sha256(file.bytes()), file.bytes().length, description, List.copyOf(deps), transactional,
                header.allowances(), verifier, c.layout().name() + " file");
    }
}
