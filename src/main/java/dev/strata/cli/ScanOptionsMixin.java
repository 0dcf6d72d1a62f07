package dev.strata.cli;

import dev.strata.db.ConfigException;
import dev.strata.sql.Rule;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Options of the SQL safety scanner. */
public class ScanOptionsMixin {

    @Option(names = "--error-on", paramLabel = "RULE", split = ",", defaultValue = "${env:STRATA_SCAN_ERROR_ON}",
            description = "Treat these warning rules as errors, e.g. --error-on index-without-concurrently,drop-table "
                    + "(env STRATA_SCAN_ERROR_ON).")
    List<String> errorOn;

    /**
     * The promoted rule ids.
     *
     * @throws ConfigException (exit 2) naming the known rule ids when one is not a rule: a misspelt
     *         id would otherwise promote nothing and let the scan pass
     */
    Set<String> promoted() {
        Set<String> rules = new LinkedHashSet<>();
        if (errorOn != null) {
            errorOn.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(rules::add);
        }
        List<String> known = Arrays.stream(Rule.values()).map(Rule::id).toList();
        List<String> unknown = rules.stream().filter(r -> !known.contains(r)).toList();
        if (!unknown.isEmpty()) {
            throw new ConfigException("unknown rule" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + " in --error-on (or STRATA_SCAN_ERROR_ON); known rules: " + String.join(", ", known));
        }
        return rules;
    }

    @Option(names = "--allow", paramLabel = "RULE@N=REASON",
            description = "Allow a rule in migration N for a reason, without editing the file, e.g. "
                    + "--allow 'truncate@157=monthly reset of the staging table' (repeatable; env STRATA_ALLOW, "
                    + "entries separated by ; or newlines).")
    List<String> allow;

    /**
     * The catalog with the --allow and STRATA_ALLOW allowances added, each allowed finding (and each
     * entry that allows nothing, as a warning) reported on stderr.
     *
     * @throws dev.strata.db.ConfigException (exit 2) for a malformed entry, a missing reason
     *         or an unknown or unallowable rule
     */
    dev.strata.catalog.Catalog allowing(dev.strata.catalog.Catalog catalog) {
        List<String> values = new java.util.ArrayList<>(allow == null ? List.of() : allow);
        String env = System.getenv("STRATA_ALLOW");
        if (env != null) {
            values.add(env);
        }
        return dev.strata.engine.CommandLineAllowances.parse(values).applyTo(catalog, Console.err()::println);
    }
}
