package dev.strata.cli;

import picocli.CommandLine.Option;

/** Output format options. */
public class OutputOptions {

    @Option(names = "--json", description = "Print the result as JSON on stdout (shapes documented in the README).")
    boolean json;
}
