package dev.strata.sql;

/** How serious a {@link Finding} is: an ERROR stops a migration run, a WARNING is reported. */
public enum Severity {
    ERROR,
    WARNING
}
