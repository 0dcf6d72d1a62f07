package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;
import dev.strata.sql.SourcePosition;
import dev.strata.sql.SqlScript;
import dev.strata.sql.SqlStatement;
import io.vertx.pgclient.PgException;

import java.util.Set;

/**
 * Maps a server error back to the migration file: PostgreSQL reports an error position as a
 * 1-based character (not byte, not UTF-16 unit) index into the query string it received
 * (PostgreSQL docs, "Message Formats", ErrorResponse field 'P').
 */
final class FailureLocator {

    /**
     * SQLSTATE classes whose failures repeat when the same statements run again; only these are
     * located by a re-run. Not: 08 connection, 40 rollback/deadlock, 53 resources, 55 lock not
     * available, 57 operator intervention (timeouts, terminated), 58 system, XX internal.
     */
    private static final Set<String> DETERMINISTIC_CLASSES = Set.of("0A", "21", "22", "23", "25", "26", "28",
            "2B", "2F", "34", "38", "39", "3B", "3D", "3F", "42", "44", "P0", "72");

    private FailureLocator() {
    }

    /**
     * The failure for an error raised while running {@code sent}, whose script text starts at
     * char {@code prefixLength}.
     */
    static MigrationFailure fromSql(CatalogMigration migration, SqlScript script, String sent, int prefixLength,
                                    Throwable error) {
        if (!(error instanceof PgException pg)) {
            return new MigrationFailure(migration, "sql", 0, 0, null, describe(error), null, null, null, null);
        }
        SourcePosition position = null;
        String located = null;
        Integer serverPosition = parse(pg.getPosition());
        if (serverPosition != null) {
            int offset = charOffset(sent, serverPosition) - prefixLength;
            if (offset >= 0) {
                position = script.positionOf(offset);
                located = "server position";
            }
        }
        return new MigrationFailure(migration, "sql", position == null ? 0 : position.line(),
                position == null ? 0 : position.column(), pg.getSqlState(), pg.getErrorMessage(), pg.getDetail(),
                pg.getHint(), context(pg), located);
    }

    /** The failure of one statement run on its own (re-run or non-transactional execution). */
    static MigrationFailure fromStatement(CatalogMigration migration, SqlScript script, SqlStatement statement,
                                          Throwable error, String located) {
        MigrationFailure base = fromSql(migration, script, statement.text(), -statement.start(), error);
        if (base.line() > 0) {
            return new MigrationFailure(migration, base.phase(), base.line(), base.column(), base.sqlState(),
                    base.message(), base.detail(), base.hint(), base.context(), located);
        }
        SourcePosition start = statement.position();
        return new MigrationFailure(migration, base.phase(), start.line(), start.column(), base.sqlState(),
                base.message(), base.detail(), base.hint(), base.context(), located);
    }

    /** True when the error has no position and re-running the statements would find the same error. */
    static boolean worthRerun(Throwable error, MigrationFailure failure, SqlScript script) {
        if (failure.line() > 0 || !(error instanceof PgException pg) || pg.getSqlState() == null) {
            return false;
        }
        return script.executableStatements().size() > 1
                && DETERMINISTIC_CLASSES.contains(pg.getSqlState().substring(0, 2));
    }

    /** Leading key words of statements that end or nest a transaction (PostgreSQL docs, "SQL Commands"). */
    private static final Set<String> TRANSACTION_WORDS = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK",
            "ABORT", "SAVEPOINT", "RELEASE", "PREPARE");

    /** Why a re-run of {@code script} is refused: it has transaction control (it could commit), or null. */
    static String transactionControl(SqlScript script) {
        for (SqlStatement st : script.executableStatements()) {
            if (!st.leadingWords().isEmpty() && TRANSACTION_WORDS.contains(st.leadingWords().get(0))) {
                return "the file controls transactions (" + st.leadingWords().get(0) + " at line "
                        + st.position().line() + "), so it is not re-run to find the failing statement";
            }
        }
        return null;
    }

    /**
     * Why a failed re-run statement says nothing reliable about the file, or null: the server read
     * the text as several commands (the scanner and the server lex the file differently, e.g. with
     * standard_conforming_strings off), or the connection was lost.
     */
    static String doubt(Throwable error, CatalogMigration m, SqlStatement statement) {
        String at = m.file() + ":" + statement.position().line() + ":" + statement.position().column();
        if (error instanceof PgException pg && "42601".equals(pg.getSqlState())
                && String.valueOf(pg.getErrorMessage()).contains("multiple commands")) {
            return "the server reads the statement at " + at + " as several commands where the scanner read one "
                    + "(is standard_conforming_strings off for this database or role?); nothing after it was re-run";
        }
        if (lostConnection(error)) {
            return "the connection was lost while re-running the statement at " + at;
        }
        return null;
    }

    /** {@code failure} with a context line saying why its statement was not located. */
    static MigrationFailure notLocated(MigrationFailure failure, String why) {
        String context = (failure.context() == null || failure.context().isBlank() ? "" : failure.context() + "\n")
                + "the failing statement was not located: " + why;
        return new MigrationFailure(failure.migration(), failure.phase(), failure.line(), failure.column(),
                failure.sqlState(), failure.message(), failure.detail(), failure.hint(), context, "not located");
    }

    /** The failure locator could not be sure its re-run stayed inside its own transaction. */
    static final class InDoubt extends RuntimeException {
        InDoubt(String message) {
            super(message, null, false, false);
        }
    }

    /** A verify failure: located at the migration file, naming the verify step. */
    static MigrationFailure fromVerify(CatalogMigration migration, Throwable error) {
        if (error instanceof PgException pg) {
            return new MigrationFailure(migration, "verify", 0, 0, pg.getSqlState(), pg.getErrorMessage(),
                    pg.getDetail(), pg.getHint(), context(pg), null);
        }
        return new MigrationFailure(migration, "verify", 0, 0, null, describe(error), null, null, null, null);
    }

    private static String context(PgException pg) {
        String where = pg.getWhere();
        if (pg.getInternalQuery() != null) {
            where = (where == null ? "" : where + "\n") + "in: " + pg.getInternalQuery().strip();
        }
        return where;
    }

    private static String describe(Throwable error) {
        String message = error.getMessage();
        if (lostConnection(error)) {
            return "the connection to the server was lost during the migration (" + (message == null
                    ? error.getClass().getSimpleName() : message) + "): the backend was terminated, the server "
                    + "restarted or the network failed; the server rolled the transaction back";
        }
        return message == null ? error.getClass().getSimpleName() : message;
    }

    /** True for errors that mean the session is gone, not that a statement failed. */
    static boolean lostConnection(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (e instanceof java.io.IOException || e instanceof io.vertx.sqlclient.ClosedConnectionException
                    || message.contains("Connection reset") || message.contains("closed")) {
                return true;
            }
        }
        return false;
    }

    private static Integer parse(String position) {
        if (position == null || position.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(position.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Converts the server's 1-based character position into a Java char offset, clamped to the text. */
    static int charOffset(String sent, int serverPosition) {
        int codePoints = Math.max(0, serverPosition - 1);
        int max = sent.codePointCount(0, sent.length());
        return sent.offsetByCodePoints(0, Math.min(codePoints, max));
    }
}
