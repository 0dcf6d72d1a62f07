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
}
