package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.catalog.Verifier;
import dev.strata.db.ConnectionPool;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The migration suite on a scratch database: for every migration in plan order, its dependencies
 * are applied, its verify step must fail, the migration is applied (its verify step must pass,
 * inside the transaction and again after COMMIT); finally a re-run applies nothing and
 * {@code validate} is clean. A verify step that passes before its migration ran checks nothing.
 *
 * <p>One instance per run, over an empty database; {@link #check} must be called in plan order.
 * Reuses {@link Migrator} and {@link Validation}; nothing is re-implemented here.
 */
public final class MigrationSuiteRun {

    /** The outcome of one check. */
    public enum Outcome {
        /** Everything held. */
        OK,
        /** Something did not hold; {@link Check#problems()} says what. */
        PROBLEM,
        /** Not checked, because a migration it depends on could not be applied. */
        SKIPPED
    }

    /**
     * One line of the suite's report.
     *
     * @param name     the migration's name, or {@code re-run} / {@code validate}
     * @param outcome  ok, problem or skipped
     * @param problems what did not hold, one sentence each
     * @param notes    remarks that are not problems (e.g. a migration without a verify step, allowed)
     */
    public record Check(String name, Outcome outcome, List<String> problems, List<String> notes) {
        /** True unless something did not hold or it was skipped. */
        public boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    /**
     * The whole run.
     *
     * @param migrations one check per migration, in plan order
     * @param rerun      the re-run that must apply nothing
     * @param validate   {@code validate} on the result
     */
    public record Report(List<Check> migrations, Check rerun, Check validate) {
        /** True when every check is ok. */
        public boolean passed() {
            return migrations.stream().allMatch(Check::ok) && rerun.ok() && validate.ok();
        }

        /** Names of the migrations with a problem, in plan order. */
        public List<String> offending() {
            return migrations.stream().filter(c -> c.outcome() == Outcome.PROBLEM).map(Check::name).toList();
        }
    }

    private final Catalog catalog;
    private final ConnectionPool database;
    private final String toolVersion;
    private final boolean allowNoVerify;
    /** Transactional migrations that failed to apply (rolled back): their dependents are skipped. */
    private final Set<Long> failed = new HashSet<>();
    /** Migrations whose verify failed after they ran: applied without it, so dependents are still checked. */
    private final Set<Long> verifyBypassed = new HashSet<>();
    /** A non-transactional migration failed part-way: its failed history row blocks every later apply. */
    private String blockedBy;

    /**
     * @param catalog       the migrations to check
     * @param database      an empty scratch database (never the configured one)
     * @param toolVersion   recorded in the history rows
     * @param allowNoVerify when true a migration without a verify step is a note, not a problem
     */
    public MigrationSuiteRun(Catalog catalog, ConnectionPool database, String toolVersion, boolean allowNoVerify) {
        this.catalog = catalog;
        this.database = database;
        this.toolVersion = toolVersion;
        this.allowNoVerify = allowNoVerify;
    }

    /**
     * Runs every check, handing each to {@code progress} as it completes.
     *
     * @return the report; the Uni fails only when the scratch database is unreachable
     */
    public Uni<Report> run(Consumer<Check> progress) {
        return Multi.createFrom().iterable(catalog.migrations())
                .onItem().transformToUniAndConcatenate(m -> check(m).invoke(progress))
                .collect().asList()
                .chain(checks -> rerun().invoke(progress)
                        .chain(rerun -> validate().invoke(progress)
                                .map(validate -> new Report(checks, rerun, validate))));
    }

    /**
     * Checks one migration: applies its pending dependencies, requires its verify step to fail,
     * applies it, requires its verify step to pass after COMMIT. Call in plan order.
     */
    public Uni<Check> check(CatalogMigration m) {
        if (blockedBy != null) {
            return Uni.createFrom().item(skipped(m.name(), blockedBy));
        }
        Optional<CatalogMigration> failedDependency = catalog.withDependencies(m.number()).stream()
                .filter(d -> failed.contains(d.number())).findFirst();
        if (failedDependency.isPresent()) {
            return Uni.createFrom().item(skipped(m.name(), "not checked: it depends on "
                    + failedDependency.get().name() + ", which could not be applied"));
        }
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<CatalogMigration> dependencies = effective().withDependencies(m.number()).stream()
                .filter(d -> d.number() != m.number()).toList();
        return migrator().apply(dependencies, ApplyOptions.defaults(), ProgressListener.NONE)
                .chain(() -> verifyBefore(m, problems, notes))
                .chain(() -> applyItself(m, problems))
                .chain(applied -> applied && !verifyBypassed.contains(m.number()) && m.verifier() != Verifier.NONE
                        ? verifyReadOnly(m).invoke(problem -> problem.ifPresent(p -> problems.add(
                                "verify of " + m.name() + " fails after COMMIT (it passed inside the transaction): " + p)))
                        : Uni.createFrom().item(Optional.<String>empty()))
                .map(ignored -> new Check(m.name(), problems.isEmpty() ? Outcome.OK : Outcome.PROBLEM,
                        List.copyOf(problems), List.copyOf(notes)));
    }

    /** Re-applies everything that was applied: must apply nothing and find no history conflict. */
    public Uni<Check> rerun() {
        if (blockedBy != null) {
            return Uni.createFrom().item(skipped("re-run", blockedBy));
        }
        List<CatalogMigration> applied = effective().migrations().stream()
                .filter(m -> catalog.withDependencies(m.number()).stream().noneMatch(d -> failed.contains(d.number())))
                .toList();
        return migrator().apply(applied, ApplyOptions.defaults(), ProgressListener.NONE)
                .map(result -> result.applied().isEmpty() ? ok("re-run")
                        : problem("re-run", "a re-run applied " + String.join(", ",
                                result.applied().stream().map(s -> s.migration().name()).toList()) + " again"))
                .onFailure(e -> !(e instanceof dev.strata.db.ConnectionException))
                .recoverWithItem(e -> problem("re-run", "a re-run failed: " + e.getMessage()));
    }

    /** {@code validate} on the scratch database: checksums, failed or unknown rows, every verify step. */
    public Uni<Check> validate() {
        if (blockedBy != null) {
            return Uni.createFrom().item(skipped("validate", blockedBy));
        }
        return new Validation(migrator()).validate()
                .map(report -> report.ok() ? ok("validate")
                        : new Check("validate", Outcome.PROBLEM, report.problems(), List.of()));
    }

    private Uni<Void> verifyBefore(CatalogMigration m, List<String> problems, List<String> notes) {
        if (m.verifier() == Verifier.NONE) {
            String finding = "no verify step: nothing checks that " + m.name() + " did what it says"
                    + (m.origin().equals("SQL file header") ? "; add " + m.name() + ".verify.sql beside it" : "");
            (allowNoVerify ? notes : problems).add(finding);
            return Uni.createFrom().voidItem();
        }
        return verifyReadOnly(m).invoke(problem -> {
            if (problem.isEmpty()) {
                problems.add("verify of " + m.name() + " passes before " + m.name() + " ran: it checks nothing");
            }
        }).replaceWithVoid();
    }

    /** Applies {@code m}; true when it is applied afterwards (if need be without its failing verify step). */
    private Uni<Boolean> applyItself(CatalogMigration m, List<String> problems) {
        return migrator().applyOne(m.number(), false, ApplyOptions.defaults(), ProgressListener.NONE)
                .map(result -> true)
                .onFailure(MigrationFailedException.class).recoverWithUni(e -> {
                    MigrationFailure failure = ((MigrationFailedException) e).failure();
                    if ("verify".equals(failure.phase())) {
                        String source = failure.message().contains(m.verifier().source()) ? ""
                                : " (" + m.verifier().source() + ")";
                        problems.add("verify of " + m.name() + " fails after " + m.name() + " ran: " + failure.message()
                                + source + "; applied without it to check the rest");
                        verifyBypassed.add(m.number());
                        return migrator().applyOne(m.number(), false, ApplyOptions.defaults(), ProgressListener.NONE)
                                .map(result -> true);
                    }
                    problems.add(failure.describe().replace("\n", " "));
                    if (m.transactional()) {
                        failed.add(m.number());
                    } else {
                        blockedBy = "not checked: " + m.name() + " (non-transactional) failed part-way, and its "
                                + "failed history row blocks every later apply";
                    }
                    return Uni.createFrom().item(false);
                });
    }

    private Uni<Optional<String>> verifyReadOnly(CatalogMigration m) {
        return database.connect().chain(connection -> Validation.verifyReadOnly(connection, m)
                .onTermination().call(connection::close));
    }

    /** The catalog with the verify steps that failed after their migration replaced by none. */
    private Catalog effective() {
        if (verifyBypassed.isEmpty()) {
            return catalog;
        }
        return new Catalog(catalog.location(), catalog.migrations().stream()
                .map(m -> verifyBypassed.contains(m.number()) ? withoutVerify(m) : m).toList(), catalog.layout());
    }

    private static CatalogMigration withoutVerify(CatalogMigration m) {
        return new CatalogMigration(m.number(), m.name(), m.file(), m.sql(), m.executableSql(), m.checksum(),
                m.sizeBytes(), m.description(), m.dependencies(), m.transactional(), m.allowances(), Verifier.NONE,
                m.origin());
    }

    private Migrator migrator() {
        return new Migrator(effective(), database, toolVersion);
    }

    private static Check ok(String name) {
        return new Check(name, Outcome.OK, List.of(), List.of());
    }

    private static Check problem(String name, String problem) {
        return new Check(name, Outcome.PROBLEM, List.of(problem), List.of());
    }

    private static Check skipped(String name, String reason) {
        return new Check(name, Outcome.SKIPPED, List.of(reason), List.of());
    }
}
