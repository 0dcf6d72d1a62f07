package dev.strata.cli;

import picocli.CommandLine.Option;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Options of the SQL safety scanner. */
public class ScanOptionsMixin {

    @Option(names = "--error-on", paramLabel = "RULE", split = ",", defaultValue = "${env:STRATA_SCAN_ERROR_ON}",
            description = "Treat these warning rules as errors, e.g. --error-on index-without-concurrently,drop-table "
                    + "(env STRATA_SCAN_ERROR_ON).")
    List<String> errorOn;

    /** The promoted rule ids. */
    Set<String> promoted() {
        Set<String> rules = new LinkedHashSet<>();
        if (errorOn != null) {
            errorOn.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(rules::add);
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
     * @throws dev.strata.config.ConfigException (exit 2) for a malformed entry, a missing reason
     *         or an unknown or unallowable rule
     */
    dev.strata.migration.Catalog allowing(dev.strata.migration.Catalog catalog) {
        List<String> values = new java.util.ArrayList<>(allow == null ? List.of() : allow);
        String env = System.getenv("STRATA_ALLOW");
        if (env != null) {
            values.add(env);
        }
        return dev.strata.migration.CommandLineAllowances.parse(values).applyTo(catalog, Console.err()::println);
    }
}
