package dev.strata.cli;

import dev.strata.catalog.Catalog;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import dev.strata.engine.MigrationSuiteRun;
import dev.strata.engine.ScratchDatabase;
import dev.strata.engine.Version;
import dev.strata.report.ExitCodes;
import dev.strata.report.Json;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code strata test}: the migration suite on a scratch database, never on the configured one
 * (its server is used only to create and drop the scratch database).
 */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the migration suite on a scratch database created on the server of --url (and dropped "
                + "afterwards) or given with --scratch-url: for every migration in plan order its verify step must "
                + "fail before it runs and pass after; then a re-run must apply nothing and validate must be clean. "
                + "Exit 1 naming each migration with a problem.")
public class TestCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;
    @Mixin
    CatalogOptions catalogOptions;
    @Mixin
    ScanOptionsMixin scanOptions;
    @Mixin
    OutputOptions output;

    @Option(names = "--scratch-url", paramLabel = "URL",
            description = "An empty database to run the suite in, used as it is and not dropped "
                    + "(default: create strata_test_<random> on the server of --url and drop it afterwards).")
    String scratchUrl;

    @Option(names = "--allow-no-verify",
            description = "Accept migrations without a verify step (reported as a note instead of a problem).")
    boolean allowNoVerify;

    @Inject
    CommandContext context;

    @Inject
    Vertx vertx;

    @Override
    public Integer call() {
        Catalog catalog = scanOptions.allowing(context.catalog(catalogOptions));
        // the safety scan needs no database: refuse (exit 5) before a scratch database exists
        context.migrator(catalog, null, scanOptions.promoted()).preflight();
        Duration connectTimeout = Duration.ofMillis(connection.connectTimeoutMs);
        MigrationSuiteRun.Report report;
        String where;
        String scratchUrlShown;
        boolean dropped;
        try (ScratchDatabase scratch = scratchUrl != null && !scratchUrl.isBlank()
                ? ScratchDatabase.given(ConnectionSettings.fromUrl(scratchUrl, "--scratch-url"), connectTimeout)
                : ScratchDatabase.create(context.settings(connection), connectTimeout)) {
            scratchUrlShown = scratch.settings().redacted();
            dropped = scratch.created();
            where = "scratch database " + scratch.settings().redacted() + (scratch.created() ? ", dropped" : ", kept");
            Console.err().println("strata: running the migration suite in " + scratch.settings().redacted());
            int width = catalog.migrations().stream().mapToInt(m -> m.name().length()).max().orElse(8) + 4;
            try (ConnectionPool database = new ConnectionPool(vertx, scratch.settings(), 2, connectTimeout)) {
                report = new MigrationSuiteRun(catalog, database, Version.get(), allowNoVerify)
                        .run(check -> {
                            if (!output.json) {
                                print(check, width);
                            }
                        }).await().indefinitely();
            }
        }
        if (output.json) {
            Json.print(json(report, scratchUrlShown, dropped));
        } else {
            Console.out().println(summary(report, catalog.size(), where));
        }
        return report.passed() ? ExitCodes.OK : ExitCodes.MIGRATION_FAILED;
    }

    private static void print(MigrationSuiteRun.Check check, int width) {
        String first = switch (check.outcome()) {
            case OK -> "ok" + (check.notes().isEmpty() ? "" : " (" + String.join("; ", check.notes()) + ")");
            case PROBLEM -> check.problems().get(0);
            case SKIPPED -> "skipped: " + check.problems().get(0);
        };
        Console.out().println("  " + Console.dots(check.name(), width) + " " + first);
        if (check.outcome() == MigrationSuiteRun.Outcome.PROBLEM) {
            check.problems().stream().skip(1).forEach(p -> Console.out().println("  " + " ".repeat(width) + " " + p));
        }
        Console.out().flush();
    }

    static String summary(MigrationSuiteRun.Report report, int size, String where) {
        if (report.passed()) {
            return "Migration suite passed: " + size + " migration" + (size == 1 ? "" : "s")
                    + ", each verify step fails before and passes after its migration; a re-run applies nothing; "
                    + "validate is clean (" + where + ").";
        }
        List<String> offending = report.offending();
        long skipped = report.migrations().stream().filter(c -> c.outcome() == MigrationSuiteRun.Outcome.SKIPPED).count();
        return "Migration suite failed: " + offending.size() + " of " + size + " migration" + (size == 1 ? "" : "s")
                + " with problems" + (offending.isEmpty() ? "" : ": " + String.join(", ", offending))
                + (skipped == 0 ? "" : "; " + skipped + " not checked")
                + (report.rerun().ok() ? "" : "; the re-run " + (report.rerun().outcome() == MigrationSuiteRun.Outcome.SKIPPED
                        ? "was skipped" : "failed"))
                + (report.validate().ok() ? "" : "; validate " + (report.validate().outcome()
                        == MigrationSuiteRun.Outcome.SKIPPED ? "was skipped" : "found problems"))
                + " (" + where + ").";
    }

    private static Map<String, Object> json(MigrationSuiteRun.Report report, String scratchUrl, boolean dropped) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("passed", report.passed());
        json.put("offending", report.offending());
        json.put("migrations", report.migrations().stream().map(TestCommand::json).toList());
        json.put("rerun", json(report.rerun()));
        json.put("validate", json(report.validate()));
        json.put("scratchDatabase", scratchUrl);
        json.put("dropped", dropped);
        return json;
    }

    private static Map<String, Object> json(MigrationSuiteRun.Check check) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", check.name());
        json.put("outcome", check.outcome().name().toLowerCase(java.util.Locale.ROOT));
        json.put("problems", check.problems());
        json.put("notes", check.notes());
        return json;
    }
}
