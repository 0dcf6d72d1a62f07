package dev.strata.engine;

import dev.strata.catalog.CatalogMigration;

/**
 * Why a migration failed, located in its file where the server said where.
 *
 * @param migration the failing migration
 * @param phase     {@code sql}, {@code verify} or {@code history}
 * @param line      1-based line in the file, 0 when unknown
 * @param column    1-based column, 0 when unknown
 * @param sqlState  SQLSTATE (e.g. {@code 42P01}), or null for verify failures
 * @param message   the server's (or verify step's) message
 * @param detail    server DETAIL, or null
 * @param hint      server HINT, or null
 * @param context   server CONTEXT (e.g. the PL/pgSQL line), or null
 * @param located   how the line was found: {@code server position}, {@code statement re-run}, {@code not located} (the context says why) or null
 */
public record MigrationFailure(CatalogMigration migration, String phase, int line, int column, String sqlState,
                               String message, String detail, String hint, String context, String located) {

    /** {@code file:line:col} (or just the file when the position is unknown). */
    public String location() {
        return migration.file() + (line > 0 ? ":" + line + ":" + column : "");
    }

    /** A multi-line human report: location, SQLSTATE and message, then detail, hint and context. */
    public String describe() {
        StringBuilder out = new StringBuilder();
        out.append(location()).append(": ");
        if ("verify".equals(phase)) {
            out.append("verify failed (").append(migration.verifier().source()).append("): ").append(message);
        } else {
            out.append("error").append(sqlState == null ? "" : " " + sqlState).append(": ").append(message);
        }
        if (detail != null && !detail.isBlank()) {
            out.append("\n  detail: ").append(detail);
        }
        if (hint != null && !hint.isBlank()) {
            out.append("\n  hint: ").append(hint);
        }
        if (context != null && !context.isBlank()) {
            out.append("\n  context: ").append(context.replace("\n", "\n           "));
        }
        return out.toString();
    }
}
