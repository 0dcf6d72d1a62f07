package dev.strata.cli;

import dev.strata.catalog.CatalogException;
import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionException;
import dev.strata.db.DatabaseUrl;
import dev.strata.engine.HistoryConflictException;
import dev.strata.engine.MigrationFailedException;
import dev.strata.engine.SafetyViolationException;
import dev.strata.engine.SessionLostException;
import dev.strata.history.MigrationLock;
import dev.strata.report.ErrorReport;
import dev.strata.report.ExitCodes;
import dev.strata.report.FindingsReport;
import dev.strata.report.Json;
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
            Json.print(java.util.Map.of("error", ErrorReport.errorJson(e, code)));
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
                    + FindingsReport.summary(violation.findings(), (int) violation.findings().stream()
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
