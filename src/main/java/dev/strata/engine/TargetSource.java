package dev.strata.engine;

import dev.strata.db.ConfigException;
import dev.strata.db.ConnectionPool;
import dev.strata.db.ConnectionSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a fleet's targets come from: a targets file or a tenant-registry query. Every target is
 * parsed before the first one is touched, so a bad line stops the run before any migration.
 */
public final class TargetSource {

    private TargetSource() {
    }

    /**
     * Reads a targets file: one PostgreSQL URL per line, then optionally {@code schema=NAME}
     * (schema-per-tenant) and a label, separated by whitespace; blank lines and lines starting
     * with {@code #} are ignored.
     *
     * @param env the environment, for passwords from {@code PGPASSWORD} or the password file
     * @throws ConfigException naming {@code file:line} when a line cannot be used, or the file cannot be read
     */
    public static List<Target> fromFile(Path file, Map<String, String> env) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read the targets file " + file + ": " + e.getMessage()
                    + "; check --targets");
        }
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            targets.add(parseLine(line, file + ":" + (i + 1), env));
        }
        if (targets.isEmpty()) {
            throw new ConfigException("the targets file " + file + " lists no target; add one URL per line");
        }
        return targets;
    }

    private static Target parseLine(String line, String where, Map<String, String> env) {
        String[] words = line.split("\\s+");
        String schema = null;
        String label = null;
        for (int w = 1; w < words.length; w++) {
            if (words[w].startsWith("#")) {
                break;
            }
            if (words[w].startsWith("schema=")) {
                schema = nonEmpty(words[w].substring("schema=".length()), where, "schema=");
            } else if (label == null) {
                label = words[w];
            } else {
                throw new ConfigException(where + ": more than one label ('" + label + "', '" + words[w]
                        + "'); write: URL [schema=NAME] [LABEL]");
            }
        }
        return new Target(label, ConnectionSettings.fromUrl(words[0], where, env), schema);
    }

    private static String nonEmpty(String value, String where, String what) {
        if (value.isEmpty()) {
            throw new ConfigException(where + ": " + what + " needs a value, e.g. schema=tenant_01");
        }
        return value;
    }

    /**
     * Runs a tenant-registry query on {@code registry}: each row's first column is a PostgreSQL
     * URL, or a schema name in the registry's database (schema-per-tenant); an optional second
     * column is the label.
     *
     * @return the targets; fails with a {@link ConfigException} when the query fails, returns no
     *         row or a row with a null or unusable first column
     */
    public static Uni<List<Target>> fromQuery(ConnectionPool registry, String sql, Map<String, String> env) {
        return registry.connect().onItem().transformToUni(connection -> connection.query(sql).execute()
                .onTermination().call(connection::close))
                .onFailure(e -> !(e instanceof ConfigException || e instanceof dev.strata.db.ConnectionException)).transform(e -> new ConfigException(
                        "the --targets-query failed on " + registry.settings().redacted() + ": " + e.getMessage()
                                + "; it must return rows of (url or schema [, label])"))
                .onItem().transform(rows -> {
                    List<Target> targets = new ArrayList<>();
                    int n = 0;
                    for (Row row : rows) {
                        n++;
                        targets.add(fromRow(row, n, registry.settings(), env));
                    }
                    if (targets.isEmpty()) {
                        throw new ConfigException("the --targets-query returned no row; nothing to migrate");
                    }
                    return targets;
                });
    }

    private static Target fromRow(Row row, int n, ConnectionSettings registry, Map<String, String> env) {
        Object first = row.getValue(0);
        String where = "--targets-query row " + n;
        if (first == null || first.toString().isBlank()) {
            throw new ConfigException(where + ": the first column is empty; it must be a URL or a schema name");
        }
        String value = first.toString().strip();
        String label = row.size() > 1 && row.getValue(1) != null ? row.getValue(1).toString().strip() : null;
        if (value.contains("://")) {
            return new Target(label, ConnectionSettings.fromUrl(value, where, env), null);
        }
        return new Target(label, registry, value);
    }
}
