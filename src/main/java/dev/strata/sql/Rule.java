package dev.strata.sql;

/**
 * The safety rules, each with its stable id, default severity, whether a migration may allow it
 * with a reason, and the hint printed with its findings.
 */
public enum Rule {
    DROP_SCHEMA("drop-schema", Severity.ERROR, true,
            "dropping a schema destroys every object in it; remove the statement or allow drop-schema with a reason"),
    DROP_DATABASE("drop-database", Severity.ERROR, false,
            "a migration must never drop a database; remove the statement"),
    TRUNCATE("truncate", Severity.ERROR, true,
            "delete rows explicitly, or declare an allowance for truncate with a reason in the migration class"),
    TRANSACTION_CONTROL("transaction-control", Severity.ERROR, false,
            "remove it: Strata runs each migration in its own transaction (a leading BEGIN; and trailing COMMIT; are accepted)"),
    NON_TRANSACTIONAL("non-transactional", Severity.ERROR, false,
            "PostgreSQL refuses this inside a transaction block: put it in its own migration with transactional() == false"),
    PSQL_META_COMMAND("psql-meta-command", Severity.ERROR, false,
            "psql meta-commands cannot run over the wire protocol; replace it with SQL"),
    COPY_FROM_STDIN("copy-from-stdin", Severity.ERROR, false,
            "COPY FROM STDIN needs psql to stream data; use INSERT … VALUES or load data in the migration class"),
    UNTERMINATED("unterminated", Severity.ERROR, false,
            "close the literal or comment; everything after it was read as part of it"),
    LEXING_SETTING("lexing-setting", Severity.ERROR, false,
            "remove it: Strata's sessions read SQL with standard_conforming_strings = on, as the scanner does; "
            + "write E'...' for backslash escapes"),
    CANNOT_VERIFY("cannot-verify", Severity.ERROR, true,
            "rewrite it so the scanner can read it (static SQL, literal EXECUTE strings), or allow cannot-verify "
            + "with a reason if intended"),
    INDEX_WITHOUT_CONCURRENTLY("index-without-concurrently", Severity.WARNING, true,
            "CREATE INDEX locks writes on an existing table until it finishes; use CREATE INDEX CONCURRENTLY in a non-transactional migration"),
    CONSTRAINT_WITHOUT_NOT_VALID("constraint-without-not-valid", Severity.WARNING, true,
            "add the constraint NOT VALID, then VALIDATE CONSTRAINT in a later migration (validation takes a weaker lock)"),
    ALTER_COLUMN_TYPE("alter-column-type", Severity.WARNING, true,
            "a change to a type that is not binary-coercible from the old one rewrites the table under ACCESS EXCLUSIVE lock; add a new column and backfill instead"),
    VOLATILE_DEFAULT("volatile-default", Severity.WARNING, true,
            "a volatile default rewrites the table under ACCESS EXCLUSIVE lock; add the column without default, backfill in batches, then set the default"),
    SET_NOT_NULL("set-not-null", Severity.WARNING, true,
            "SET NOT NULL scans the table under ACCESS EXCLUSIVE lock; first add CHECK (col IS NOT NULL) NOT VALID and validate it"),
    DROP_TABLE("drop-table", Severity.WARNING, true,
            "dropping a table loses its data for good; make sure no deployed code still uses it"),
    DROP_COLUMN("drop-column", Severity.WARNING, true,
            "deploy code that no longer reads the column before dropping it"),
    RENAME("rename", Severity.WARNING, true,
            "running application versions still use the old name; add the new name, migrate readers, then drop the old one"),
    DYNAMIC_SQL("dynamic-sql", Severity.WARNING, true,
            "the scanner cannot check SQL built at run time; prefer static SQL or review it by hand"),
    MISSING_IF_NOT_EXISTS("missing-if-not-exists", Severity.WARNING, true,
            "add IF NOT EXISTS so a partially applied run can be repeated");

    private final String id;
    private final Severity severity;
    private final boolean allowable;
    private final String hint;

    Rule(String id, Severity severity, boolean allowable, String hint) {
        this.id = id;
        this.severity = severity;
        this.allowable = allowable;
        this.hint = hint;
    }

    /** The stable kebab-case id used in findings, allowances and promotions. */
    public String id() {
        return id;
    }

    /** Severity before promotion. */
    public Severity defaultSeverity() {
        return severity;
    }

    /**
     * Whether a migration may switch the rule off with a reasoned allowance; rules whose violation
     * makes the file unexecutable (or that only a human must ever do) cannot be allowed.
     */
    public boolean allowable() {
        return allowable;
    }

    /** Every rule id, in declaration order, for messages that list the known ones. */
    public static java.util.List<String> ids() {
        return java.util.Arrays.stream(values()).map(Rule::id).toList();
    }

    /**
     * What is wrong with allowing {@code ruleId}, or null when it names an allowable rule: an
     * unknown id would allow nothing, silently, and an unallowable one is never switched off.
     */
    public static String allowanceProblem(String ruleId) {
        for (Rule r : values()) {
            if (r.id.equals(ruleId)) {
                return r.allowable ? null : "rule " + ruleId + " cannot be allowed";
            }
        }
        return "unknown rule " + ruleId + "; known rules: " + String.join(", ", ids());
    }

    /** One line telling the author what to do. */
    public String hint() {
        return hint;
    }
}
