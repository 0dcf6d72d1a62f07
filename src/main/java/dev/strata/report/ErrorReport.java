package dev.strata.report;

import dev.strata.catalog.CatalogException;
import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionException;
import dev.strata.db.DatabaseUrl;
import dev.strata.engine.HistoryConflictException;
import dev.strata.engine.MigrationFailedException;
import dev.strata.engine.SafetyViolationException;
import dev.strata.engine.SessionLostException;
import dev.strata.history.MigrationLock;

/**
 * How an error is reported, whoever reports it (the command line or {@code serve}): its exit code
 * and its JSON document. The text lines are the command line's ({@code cli.ErrorHandler}).
 */
public final class ErrorReport {

    private ErrorReport() {
    }

    /**
     * The JSON error document printed on stdout with {@code --json}:
     * {@code {"error":{"exitCode":n,"type":"…","message":"…", …details}}}.
     */
    public static java.util.Map<String, Object> errorJson(Throwable e, int code) {
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
            json.put("scan", FindingsReport.toJson(violation.findings()));
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
    public static int exitCodeOf(Throwable e) {
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
}
