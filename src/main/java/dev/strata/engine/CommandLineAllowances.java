package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConfigException;
import dev.strata.sql.Finding;
import dev.strata.sql.Rule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Allowances given outside the migration files ({@code --allow 'truncate@157=monthly reset'},
 * {@code STRATA_ALLOW}), for folders whose files the team does not want to edit: rule id,
 * migration number and a required reason.
 */
public final class CommandLineAllowances {

    private static final Pattern ENTRY = Pattern.compile("([a-z-]+)@0*([0-9]+)=(.*)", Pattern.DOTALL);

    /** One allowance: {@code rule} in migration {@code number}, for {@code reason}. */
    record Entry(String rule, long number, String reason, String text) {
    }

    private final List<Entry> entries;

    private CommandLineAllowances(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses entries of the form {@code RULE@N=REASON}; each value may hold several separated by
     * {@code ;} or newlines (as {@code STRATA_ALLOW} does).
     *
     * @throws ConfigException (exit 2) naming each entry that is malformed, has no reason, or names
     *                          an unknown or unallowable rule
     */
    public static CommandLineAllowances parse(List<String> values) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String value : values) {
            for (String part : value.split("[;\n]")) {
                String text = part.strip();
                if (text.isEmpty()) {
                    continue;
                }
                Matcher m = ENTRY.matcher(text);
                String problem = !m.matches() || m.group(3).isBlank() ? "give the rule, the migration number and a reason"
                        + ", e.g. --allow 'truncate@157=monthly reset of the staging table'"
                        : Rule.allowanceProblem(m.group(1));
                if (problem != null) {
                    problems.add("--allow " + text + ": " + problem);
                } else {
                    entries.add(new Entry(m.group(1), Long.parseLong(m.group(2)), m.group(3).strip(), text));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
        return new CommandLineAllowances(entries);
    }

    /**
     * The catalog with these allowances added to their migrations; reports on {@code log} (stderr)
     * each finding they allow ({@code allowed: truncate in 157_x.sql:3:1 — reason}) and, as a
     * warning, each entry that names no migration or allows no finding.
     */
    public Catalog applyTo(Catalog catalog, Consumer<String> log) {
        if (entries.isEmpty()) {
            return catalog;
        }
        List<Finding> before = Preflight.scan(catalog, Set.of());
        Map<Long, Map<String, String>> extra = new HashMap<>();
        for (Entry e : entries) {
            CatalogMigration m = catalog.find(e.number()).orElse(null);
            if (m == null) {
                log.accept("warning: --allow " + e.text() + " names no migration of " + catalog.location());
                continue;
            }
            extra.computeIfAbsent(e.number(), n -> new LinkedHashMap<>()).put(e.rule(), e.reason());
            List<Finding> allowed = before.stream()
                    .filter(f -> f.file().equals(m.file()) && f.ruleId().equals(e.rule())).toList();
            if (allowed.isEmpty()) {
                log.accept("warning: --allow " + e.text() + " matches no " + e.rule() + " finding in " + m.file());
            }
            allowed.forEach(f -> log.accept("allowed: " + e.rule() + " in " + f.file() + ":" + f.line() + ":"
                    + f.column() + " — " + e.reason()));
        }
        List<CatalogMigration> migrations = catalog.migrations().stream().map(m -> {
            Map<String, String> more = extra.get(m.number());
            if (more == null) {
                return m;
            }
            Map<String, String> all = new LinkedHashMap<>(m.allowances());
            all.putAll(more);
            return new CatalogMigration(m.number(), m.name(), m.file(), m.sql(), m.executableSql(), m.checksum(),
                    m.sizeBytes(), m.description(), m.dependencies(), m.transactional(), Map.copyOf(all),
                    m.verifier(), m.origin());
        }).toList();
        return new Catalog(catalog.location(), migrations, catalog.layout());
    }
}
