package dev.strata.engine;

import dev.strata.db.ConnectionSettings;
import io.vertx.pgclient.PgConnectOptions;

/**
 * One database (or one schema in a database) of a fleet.
 *
 * @param label    the name printed for it, or null to print the redacted URL
 * @param settings where to connect (its password is never printed)
 * @param schema   for schema-per-tenant, the schema the session's {@code search_path} is set to
 *                 (and where that tenant's {@code schema_migrations} lives), or null
 */
public record Target(String label, ConnectionSettings settings, String schema) {

    /** The name used in every line of output: the label, else the redacted URL (and the schema). */
    public String name() {
        if (label != null && !label.isBlank()) {
            return label;
        }
        return settings.redacted() + (schema == null ? "" : " schema " + schema);
    }

    /**
     * Settings for this target's sessions: with a schema, {@code search_path} is sent as a startup
     * parameter, so it is the session default that {@code RESET ALL} returns to between
     * migrations (PostgreSQL docs, "Protocol Flow", 55.2.1, and "RESET").
     */
    public ConnectionSettings sessionSettings() {
        if (schema == null) {
            return settings;
        }
        PgConnectOptions options = new PgConnectOptions(settings.options());
        // A map of its own: the copy may share the base's, which other tenants of the same URL use.
        options.setProperties(new java.util.HashMap<>(settings.options().getProperties()))
                .addProperty("search_path", quoteIdentifier(schema));
        return new ConnectionSettings(options, settings.source(), settings.redacted(), settings.warnings(),
                settings.trust());
    }

    /** A schema name as a quoted identifier, so that any tenant name is taken literally. */
    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
