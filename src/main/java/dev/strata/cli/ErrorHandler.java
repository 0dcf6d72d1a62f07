package dev.strata.cli;

import dev.strata.config.ConfigException;
import dev.strata.config.ConnectionException;
import dev.strata.config.DatabaseUrl;
import dev.strata.history.MigrationLock;
import dev.strata.migration.CatalogException;
import dev.strata.migration.HistoryConflictException;
import dev.strata.migration.MigrationFailedException;
import dev.strata.migration.SafetyViolationException;
import dev.strata.migration.SessionLostException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.util.concurrent.CompletionException;

/**
 * Turns exceptions into one clear message on stderr and the documented exit code; the last line
 * printed is a summary, because Fly.io shows only the tail of a failed release command.
 */
public class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception exception, CommandLine commandLine, ParseResult parseResult) {
        Throwable e = exception;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        int code = report(e);
        if (verbose(parseResult) || System.getenv("STRATA_DEBUG") != null) {
            // redacted like every other line: an exception's message may quote a URL
            java.io.StringWriter trace = new java.io.StringWriter();
            e.printStackTrace(new java.io.PrintWriter(trace));
            Console.err().print(DatabaseUrl.redactText(trace.toString()));
            Console.err().flush();
        }
        ParseResult own = commandLine.getParseResult();
        if (own != null && own.hasMatchedOption("--json")) {
            Json.print(java.util.Map.of("error", errorJson(e, code)));
        }
        return code;
    }

    /** Whether {@code --verbose} was given, on the top command or on the subcommand (it is inherited). */
    static boolean verbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The JSON error document printed on stdout with {@code --json}:
     * {@code {"error":{"exitCode":n,"type":"…","message":"…", …details}}}.
     */
    static java.util.Map<String, Object> errorJson(Throwable e, int code) {
        java.util.Map<String, Object> json = new java.util.LinkedHashMap<>();
        json.put("exitCode", code);
        String type;
        if (e instanceof MigrationFailedException failed) {
            type = "migration-failed";
            json.put("failure", JsonShapes.failure(failed.failure()));
            json.put("appliedBefore", failed.partial() == null ? java.util.List.of()
                    : failed.partial().applied().stream().map(s -> s.migration().name()).toList());
        } else if (e instanceof SafetyViolationException violation) {
            type = "safety-violation";
            json.put("scan", Findings.toJson(violation.findings()));
        } else if (e instanceof HistoryConflictException conflict) {
            type = "history-conflict";
            json.put("problems", conflict.problems());
        } else if (e instanceof CatalogException catalog) {
            type = "invalid-catalog";
            json.put("problems", catalog.problems());
        } else if (e instanceof ConnectionException) {
            type = "connection";
        } else if (e instanceof SessionLostException) {
            type = "session-lost";
        } else if (e instanceof ConfigException) {
            type = "configuration";
        } else if (e instanceof MigrationLock.LockTimeoutException) {
            type = "lock-timeout";
        } else {
            type = "internal";
        }
        json.put("type", type);
        json.put("message", DatabaseUrl.redactText(String.valueOf(e.getMessage())));
        return json;
    }

    /** The exit code an error maps to, without printing anything. */
    static int exitCodeOf(Throwable e) {
        if (e instanceof MigrationFailedException || e instanceof HistoryConflictException
                || e instanceof SessionLostException) {
            return ExitCodes.MIGRATION_FAILED;
        }
        if (e instanceof SafetyViolationException) {
            return ExitCodes.SAFETY_VIOLATION;
        }
        if (e instanceof MigrationLock.LockTimeoutException) {
            return ExitCodes.LOCK_TIMEOUT;
        }
        if (e instanceof CatalogException || e instanceof ConfigException || e instanceof ConnectionException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.MIGRATION_FAILED;
    }

    private int report(Throwable e) {
        var err = Console.err();
        if (e instanceof MigrationFailedException failed) {
            var failure = failed.failure();
            err.println(failure.describe());
            int applied = failed.partial() == null ? 0 : failed.partial().applied().size();
            err.println("strata: migration " + failure.migration().name() + " failed and was rolled back"
                    + (failure.migration().transactional() ? "" : " as far as possible (non-transactional; see strata info "
                    + failure.migration().number() + ")")
                    + (applied == 0 ? "" : "; the " + applied + " migration" + (applied == 1 ? "" : "s")
                    + " applied before it in this run stay" + (applied == 1 ? "s" : "") + " applied")
                    + ". "
                    + "Fix " + failure.location() + " and run again.");
            return ExitCodes.MIGRATION_FAILED;
        }
        if (e instanceof SafetyViolationException violation) {
            violation.findings().forEach(f -> err.println(f.format()));
            err.println("strata: refusing to run: the SQL safety scanner found "
                    + Findings.summary(violation.findings(), (int) violation.findings().stream()
                    .map(dev.strata.sql.Finding::file).distinct().count())
                    + "; nothing was run and no connection was made. Fix them, or declare an allowance with a reason.");
            return ExitCodes.SAFETY_VIOLATION;
        }
        if (e instanceof HistoryConflictException conflict) {
            conflict.problems().forEach(p -> err.println("strata: " + p));
            err.println("strata: " + conflict.summary());
            return ExitCodes.MIGRATION_FAILED;
        }
        if (e instanceof CatalogException catalog) {
            catalog.problems().forEach(p -> err.println("strata: " + p));
            err.println("strata: the migration catalog is invalid (" + catalog.problems().size() + " problem"
                    + (catalog.problems().size() == 1 ? "" : "s") + "); nothing was run.");
            return ExitCodes.USAGE;
        }
        if (e instanceof ConfigException || e instanceof ConnectionException) {
            err.println("strata: " + DatabaseUrl.redactText(e.getMessage()));
            return ExitCodes.USAGE;
        }
        if (e instanceof MigrationLock.LockTimeoutException) {
            err.println("strata: " + e.getMessage());
            return ExitCodes.LOCK_TIMEOUT;
        }
        if (e instanceof SessionLostException) {
            err.println("strata: " + DatabaseUrl.redactText(e.getMessage()));
            return ExitCodes.MIGRATION_FAILED;
        }
        String lost = ConnectionLoss.describe(e);
        if (lost != null) {
            err.println("strata: the connection to the database was lost (" + DatabaseUrl.redactText(lost)
                    + ") before any migration ran; nothing was applied in this run; run again");
            return ExitCodes.MIGRATION_FAILED;
        }
        err.println("strata: unexpected error: " + DatabaseUrl.redactText(String.valueOf(e))
                + "; run again with --verbose for the stack trace");
        return ExitCodes.MIGRATION_FAILED;
    }
}
