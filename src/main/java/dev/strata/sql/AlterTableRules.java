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

    AlterTableRules(FindingSink sink, Set<String> createdTables) {
        this.sink = sink;
        this.createdTables = createdTables;
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
            sink.report(Rule.ALTER_COLUMN_TYPE, st.fileOffset(a), "changing the type of " + column + " on " + table
                    + " may rewrite the table and its indexes under ACCESS EXCLUSIVE lock");
        } else if (st.matchesAt(after, "SET", "NOT", "NULL")) {
            sink.report(Rule.SET_NOT_NULL, st.fileOffset(a), "SET NOT NULL on " + column + " of " + table
                    + " scans the whole table under ACCESS EXCLUSIVE lock");
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
