package dev.strata.cli;

import io.vertx.pgclient.PgException;

import java.io.IOException;

/** Recognises an error that means the connection to the server broke, for a one-line report. */
final class ConnectionLoss {

    private ConnectionLoss() {
    }

    /**
     * What broke, e.g. {@code terminating connection due to administrator command, SQLSTATE 57P01},
     * or null when {@code error} is not a lost connection. SQLSTATE classes 08 (connection
     * exception) and 57P01–57P03 (operator intervention: shutdown, crash) mean the session ended
     * (PostgreSQL docs, Appendix A "PostgreSQL Error Codes").
     */
    static String describe(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().matches("57P0[123]"))) {
                return pg.getErrorMessage() + ", SQLSTATE " + pg.getSqlState();
            }
            if (e instanceof IOException || e instanceof io.vertx.core.VertxException
                    && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("closed")) {
                return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return null;
    }
}
