package dev.strata.sql;

import java.util.Set;

/**
 * ALTER TABLE sub-commands that take long ACCESS EXCLUSIVE locks, rewrite the table, or break
 * running application versions (PostgreSQL docs, "ALTER TABLE", Notes). Actions on a table created
 * earlier in the same file are not reported: nobody else can be using it yet.
 */
final class AlterTableRules {

    /**
     * Functions whose volatility forces a table rewrite when used as the default of an added
     * column; since PostgreSQL 11 a non-volatile default (now(), CURRENT_TIMESTAMP, constants) is
     * stored once in the catalog and does not rewrite ("ALTER TABLE", Notes).
     */
    private static final Set<String> VOLATILE_FUNCTIONS = Set.of("random", "clock_timestamp",
            "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuidv4",
            "uuidv7", "nextval", "timeofday", "random_normal", "txid_current", "setseed");

    private static final Set<String> SERIAL_TYPES = Set.of("serial", "serial2", "serial4", "serial8",
            "smallserial", "bigserial");

    private final FindingSink sink;
    private final Set<String> createdTables;
    private final ColumnTypes columnTypes;
    /** The (unqualified, case-folded) table of the statement being checked. */
    private String tableKey;

    AlterTableRules(FindingSink sink, Set<String> createdTables, ColumnTypes columnTypes) {
        this.sink = sink;
        this.createdTables = createdTables;
        this.columnTypes = columnTypes;
    }

    void check(TokenRange st) {
        int i = 2;
        if (st.matchesAt(i, "IF", "EXISTS")) {
            i += 2;
        }
        if (st.isWord(i, "ONLY")) {
            i++;
        }
        String table = Names.lastPart(st, i);
        tableKey = table;
        String display = Names.display(st, i);
        i = Names.end(st, i);
        if (st.is(i, TokenKind.OPERATOR) && st.text(i).equals("*")) {
            i++;
        }
        boolean isNew = table != null && createdTables.contains(table);
        int start = i;
        int depth = 0;
        for (int k = i; k <= st.size(); k++) {
            if (k < st.size()) {
                TokenKind kind = st.kind(k);
                if (kind == TokenKind.LPAREN) {
                    depth++;
                } else if (kind == TokenKind.RPAREN) {
                    depth = Math.max(0, depth - 1);
                }
                if (kind != TokenKind.COMMA || depth > 0) {
                    continue;
                }
            }
            if (k > start) {
                action(st, start, k, display, isNew);
            }
            start = k + 1;
        }
    }

    private void action(TokenRange st, int a, int b, String table, boolean isNew) {
        if (st.matchesAt(a, "DETACH", "PARTITION") && st.isWord(Names.end(st, a + 2), "CONCURRENTLY")) {
            if (sink.options().transactional()) {
                sink.report(Rule.NON_TRANSACTIONAL, st.fileOffset(a),
                        "DETACH PARTITION … CONCURRENTLY cannot run inside a transaction block, and this migration is transactional");
            }
            return;
        }
        if (isNew) {
            recordTypes(st, a, b);
            return;
        }
        if (st.isWord(a, "RENAME")) {
            rename(st, a, table);
        } else if (st.isWord(a, "ADD")) {
            add(st, a, b, table);
        } else if (st.isWord(a, "ALTER")) {
            alterColumn(st, a, b, table);
        } else if (st.isWord(a, "DROP")) {
            int k = a + 1;
            if (st.isWord(k, "CONSTRAINT")) {
                return;
            }
            if (st.isWord(k, "COLUMN")) {
                k++;
            }
            if (st.matchesAt(k, "IF", "EXISTS")) {
                k += 2;
            }
            sink.report(Rule.DROP_COLUMN, st.fileOffset(a), "DROP COLUMN " + Names.display(st, k) + " on "
                    + table + " deletes the column's data and breaks code still reading it");
        }
    }

    private void rename(TokenRange st, int a, String table) {
        if (st.isWord(a + 1, "CONSTRAINT")) {
            return;
        }
        if (st.isWord(a + 1, "TO")) {
            sink.report(Rule.RENAME, st.fileOffset(a), "renaming table " + table + " breaks code that uses the old name");
            return;
        }
        int k = st.isWord(a + 1, "COLUMN") ? a + 2 : a + 1;
        sink.report(Rule.RENAME, st.fileOffset(a), "renaming column " + Names.display(st, k) + " of " + table
                + " breaks code that uses the old name");
    }

    private void add(TokenRange st, int a, int b, String table) {
        int k = a + 1;
        if (st.isWord(k, "CONSTRAINT")) {
            k = Names.end(st, k + 1);
            constraint(st, a, k, b, table);
            return;
        }
        if (st.isWord(k, "CHECK") || st.isWord(k, "FOREIGN") || st.isWord(k, "PRIMARY")
                || st.isWord(k, "UNIQUE") || st.isWord(k, "EXCLUDE")) {
            constraint(st, a, k, b, table);
            return;
        }
        if (st.isWord(k, "COLUMN")) {
            k++;
        }
        if (st.matchesAt(k, "IF", "NOT", "EXISTS")) {
            k += 3;
        }
        ColumnDefinitions.column(st, k, b, tableKey, columnTypes);
        addColumn(st, a, k, b, table);
    }

    /** FOREIGN KEY and CHECK validate every row under lock unless added NOT VALID. */
    private void constraint(TokenRange st, int a, int k, int b, String table) {
        boolean validating = st.isWord(k, "CHECK") || st.isWord(k, "FOREIGN");
        if (!validating || findIn(st, k, b, "NOT", "VALID") >= 0) {
            return;
        }
        sink.report(Rule.CONSTRAINT_WITHOUT_NOT_VALID, st.fileOffset(a), (st.isWord(k, "CHECK") ? "CHECK" : "FOREIGN KEY")
                + " constraint added to " + table + " without NOT VALID checks every row while holding its lock");
    }

    private void addColumn(TokenRange st, int a, int nameAt, int b, String table) {
        String column = Names.display(st, nameAt);
        int typeAt = nameAt + 1;
        if (st.is(typeAt, TokenKind.WORD) && SERIAL_TYPES.contains(st.text(typeAt).toLowerCase(java.util.Locale.ROOT))) {
            volatileDefault(st, a, column, table, st.text(typeAt) + " (a nextval() default)");
            return;
        }
        int generated = findIn(st, typeAt, b, "GENERATED");
        if (generated >= 0 && (findIn(st, generated, b, "STORED") >= 0 || findIn(st, generated, b, "IDENTITY") >= 0)) {
            volatileDefault(st, a, column, table, "a stored generated or identity value");
            return;
        }
        int dflt = findIn(st, typeAt, b, "DEFAULT");
        if (dflt < 0) {
            return;
        }
        for (int k = dflt + 1; k + 1 < b; k++) {
            if (st.is(k, TokenKind.WORD) && st.is(k + 1, TokenKind.LPAREN)
                    && VOLATILE_FUNCTIONS.contains(st.text(k).toLowerCase(java.util.Locale.ROOT))) {
                volatileDefault(st, a, column, table, "volatile " + st.text(k) + "()");
                return;
            }
        }
    }

    private void volatileDefault(TokenRange st, int a, String column, String table, String what) {
        sink.report(Rule.VOLATILE_DEFAULT, st.fileOffset(a), "ADD COLUMN " + column + " to " + table
                + " with " + what + " rewrites the whole table under ACCESS EXCLUSIVE lock");
    }

    private void alterColumn(TokenRange st, int a, int b, String table) {
        int k = a + 1;
        if (st.isWord(k, "COLUMN")) {
            k++;
        }
        String column = Names.display(st, k);
        int after = Names.end(st, k);
        if (st.isWord(after, "TYPE") || st.matchesAt(after, "SET", "DATA", "TYPE")) {
            int typeAt = st.isWord(after, "TYPE") ? after + 1 : after + 3;
            typeChange(st, a, typeAt, b, column, Names.lastPart(st, k), table);
        } else if (st.matchesAt(after, "SET", "NOT", "NULL")) {
            sink.report(Rule.SET_NOT_NULL, st.fileOffset(a), "SET NOT NULL on " + column + " of " + table
                    + " scans the whole table under ACCESS EXCLUSIVE lock");
        }
    }

    /**
     * Reports a column type change unless it provably keeps the table's file: the new type is
     * compared with the old one where an earlier statement of the scan declared it (PostgreSQL docs,
     * "ALTER TABLE", Notes: binary-coercible changes need no rewrite; a USING expression is
     * computed for every row).
     */
    private void typeChange(TokenRange st, int a, int typeAt, int b, String column, String columnKey, String table) {
        int using = findIn(st, typeAt, b, "USING");
        SqlType type = SqlType.parse(st, typeAt, ColumnDefinitions.typeEnd(st, typeAt, b));
        SqlType old = columnTypes.typeOf(tableKey, columnKey);
        columnTypes.record(tableKey, columnKey, type);
        String change = "changing the type of " + column + " on " + table
                + (type == null ? "" : (old == null ? "" : " from " + old) + " to " + type);
        String rewrite = " rewrites the table and its indexes under ACCESS EXCLUSIVE lock";
        if (using >= 0) {
            report(st, a, change + rewrite + " (USING computes every row)");
        } else if (type == null || old == null) {
            if (type != null && type.alwaysRewrites()) {
                report(st, a, change + rewrite + " (no other type becomes " + type + " without one)");
            } else {
                report(st, a, change + rewrite + " unless the old type is "
                        + (type == null ? "binary-coercible to the new one" : type.noRewriteSources())
                        + "; the scanner has not seen the column's old type");
            }
        } else if (type.from(old) == SqlType.Change.REWRITE) {
            report(st, a, change + rewrite);
        } else if (type.from(old) == SqlType.Change.REWRITE_UNLESS_UTC) {
            report(st, a, change + rewrite + " unless the session TimeZone is UTC");
        }
    }

    private void report(TokenRange st, int a, String message) {
        sink.report(Rule.ALTER_COLUMN_TYPE, st.fileOffset(a), message);
    }

    /** Keeps the column types of a table created in this file current (ADD COLUMN, ALTER … TYPE). */
    private void recordTypes(TokenRange st, int a, int b) {
        if (st.isWord(a, "ADD") && !st.isWord(a + 1, "CONSTRAINT")) {
            int k = st.isWord(a + 1, "COLUMN") ? a + 2 : a + 1;
            k = st.matchesAt(k, "IF", "NOT", "EXISTS") ? k + 3 : k;
            ColumnDefinitions.column(st, k, b, tableKey, columnTypes);
        } else if (st.isWord(a, "ALTER")) {
            int k = st.isWord(a + 1, "COLUMN") ? a + 2 : a + 1;
            int after = Names.end(st, k);
            int typeAt = st.isWord(after, "TYPE") ? after + 1 : st.matchesAt(after, "SET", "DATA", "TYPE") ? after + 3 : -1;
            if (typeAt > 0) {
                columnTypes.record(tableKey, Names.lastPart(st, k),
                        SqlType.parse(st, typeAt, ColumnDefinitions.typeEnd(st, typeAt, b)));
            }
        }
    }

    private static int findIn(TokenRange st, int from, int to, String... words) {
        for (int k = from; k < to; k++) {
            if (st.matchesAt(k, words)) {
                return k;
            }
        }
        return -1;
    }
}
