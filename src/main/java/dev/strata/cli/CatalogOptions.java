package dev.strata.cli;

import picocli.CommandLine.Option;

/** Options choosing where migrations come from. */
public class CatalogOptions {

    @Option(names = "--location", paramLabel = "DIR", defaultValue = "${env:STRATA_LOCATION}",
            description = "Directory of SQL-only migrations to use instead of the bundled db/migrations "
                    + "(env STRATA_LOCATION).")
    String location;
}
