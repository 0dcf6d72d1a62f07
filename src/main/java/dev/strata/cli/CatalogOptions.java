package dev.strata.cli;

import picocli.CommandLine.Option;

/** Options choosing where migrations come from. */
public class CatalogOptions {

    @Option(names = "--location", paramLabel = "DIR", defaultValue = "${env:STRATA_LOCATION}",
            description = "Directory of SQL-only migrations to use instead of the bundled db/migrations "
                    + "(env STRATA_LOCATION).")
    String location;

    @Option(names = "--allow-empty",
            description = "Accept a location without any migration (otherwise an error, exit 2: an empty or "
                    + "mistyped folder must not look like an up-to-date schema).")
    boolean allowEmpty;
}
