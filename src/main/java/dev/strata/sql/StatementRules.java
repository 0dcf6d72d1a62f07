package dev.strata.sql;

import java.util.Locale;
import java.util.Set;

/**
 * Rules for one top-level statement, classified by its leading key words: transaction control,
 * statements PostgreSQL refuses inside a transaction block, and lock-heavy or destructive DDL.
 * Tables created earlier in the same file are tracked so DDL on them is not reported as risky.
 * A missing IF NOT EXISTS is reported only in non-transactional migrations: a failure part-way
 * leaves the earlier statements applied there, while a transactional file is rolled back whole.
 */
final class StatementRules {

    private final FindingSink sink;
    private final Set<String> createdTables;
    private final AlterTableRules alterTable;
    private final ColumnTypes columnTypes;

    StatementRules(FindingSink sink, Set<String> createdTables, ColumnTypes columnTypes) {
        this.sink = sink;
        this.createdTables = createdTables;
        this.columnTypes = columnTypes;
        this.alterTable = new AlterTableRules(sink, createdTables, columnTypes);
    }

    void check(TokenRange st) {
        if (st.size() == 0) {
            return;
        }
        switch (st.firstWord()) {
            case "DROP":
                if (!DestructiveRules.check(st, sink, "")) {
                    drop(st);
                }
                break;
            case "TRUNCATE":
                DestructiveRules.check(st, sink, "");
                break;
            case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE":
                transactionControl(st);
                break;
            case "CREATE":
                create(st);
                break;
            case "ALTER":
                alter(st);
                break;
            case "VACUUM":
                nonTransactional(st, 0, "VACUUM");
                break;
            case "REINDEX":
                reindex(st);
                break;
            case "CLUSTER":
                cluster(st);
                break;
            case "DISCARD":
                if (st.startsWith("DISCARD", "ALL")) {
                    nonTransactional(st, 0, "DISCARD ALL");
                }
                break;
            default:
                break;
        }
    }

    /**
     * Transaction statements (PostgreSQL docs, "SQL Commands": BEGIN, START TRANSACTION, COMMIT,
     * END, ROLLBACK, ABORT, SAVEPOINT, RELEASE SAVEPOINT, ROLLBACK TO, PREPARE TRANSACTION,
     * COMMIT/ROLLBACK PREPARED) would end or nest Strata's own transaction.
     */
    private boolean transactionControl(TokenRange st) {
        boolean tx = st.startsWith("BEGIN") || st.startsWith("START", "TRANSACTION") || st.startsWith("COMMIT")
                || st.startsWith("END") || st.startsWith("ROLLBACK") || st.startsWith("ABORT")
                || st.startsWith("SAVEPOINT") || st.startsWith("RELEASE") || st.startsWith("PREPARE", "TRANSACTION");
        if (tx) {
            String words = st.text(0).toUpperCase(Locale.ROOT)
                    + (st.size() > 1 && st.is(1, TokenKind.WORD) ? " " + st.text(1).toUpperCase(Locale.ROOT) : "");
            sink.report(Rule.TRANSACTION_CONTROL, st.fileOffset(0),
                    words + " controls the transaction inside a migration file");
        }
        return tx;
    }

    private void create(TokenRange st) {
        int i = 1;
        if (st.matchesAt(i, "OR", "REPLACE")) {
            i += 2;
        }
        while (st.isWord(i, "UNIQUE") || st.isWord(i, "TEMP") || st.isWord(i, "TEMPORARY")
                || st.isWord(i, "UNLOGGED") || st.isWord(i, "GLOBAL") || st.isWord(i, "LOCAL")) {
            i++;
        }
        if (st.isWord(i, "TABLE")) {
            createTable(st, i + 1);
        } else if (st.isWord(i, "INDEX")) {
            createIndex(st, i + 1);
        } else if (st.isWord(i, "DATABASE")) {
            nonTransactional(st, 0, "CREATE DATABASE");
        } else if (st.isWord(i, "TABLESPACE")) {
            nonTransactional(st, 0, "CREATE TABLESPACE");
        } else if (st.isWord(i, "SUBSCRIPTION") && !createSlotDisabled(st)) {
            nonTransactional(st, 0, "CREATE SUBSCRIPTION (with create_slot)");
        }
    }

    private void createTable(TokenRange st, int i) {
        boolean ifNotExists = st.matchesAt(i, "IF", "NOT", "EXISTS");
        if (ifNotExists) {
            i += 3;
        }
        String name = Names.lastPart(st, i);
        if (name != null) {
            createdTables.add(name);
            ColumnDefinitions.record(st, Names.end(st, i), name, columnTypes);
        }
        if (!ifNotExists && !sink.options().transactional()) {
            sink.report(Rule.MISSING_IF_NOT_EXISTS, st.fileOffset(0), "CREATE TABLE " + Names.display(st, i)
                    + " without IF NOT EXISTS fails when the table already exists");
        }
    }

    /** CREATE INDEX without CONCURRENTLY holds a SHARE lock (blocks writes) for the whole build. */
    private void createIndex(TokenRange st, int i) {
        boolean concurrently = st.isWord(i, "CONCURRENTLY");
        if (concurrently) {
            i++;
        }
        boolean ifNotExists = st.matchesAt(i, "IF", "NOT", "EXISTS");
        int on = st.findTopLevel(i, "ON");
        int tableAt = on + 1;
        if (st.isWord(tableAt, "ONLY")) {
            tableAt++;
        }
        String table = on >= 0 ? Names.lastPart(st, tableAt) : null;
        if (concurrently) {
            nonTransactional(st, 0, "CREATE INDEX CONCURRENTLY");
        } else if (table != null && !createdTables.contains(table)) {
            sink.report(Rule.INDEX_WITHOUT_CONCURRENTLY, st.fileOffset(0), "CREATE INDEX on existing table "
                    + Names.display(st, tableAt) + " without CONCURRENTLY blocks writes while the index builds");
        }
        if (!ifNotExists && !sink.options().transactional()) {
            sink.report(Rule.MISSING_IF_NOT_EXISTS, st.fileOffset(0),
                    "CREATE INDEX without IF NOT EXISTS fails when the index already exists");
        }
    }

    private static boolean createSlotDisabled(TokenRange st) {
        int i = st.findTopLevel(0, "WITH");
        if (i < 0) {
            return false;
        }
        for (int k = i; k + 2 < st.size(); k++) {
            if (st.isWord(k, "CREATE_SLOT") && st.is(k + 1, TokenKind.OPERATOR)
                    && (st.isWord(k + 2, "FALSE") || st.isWord(k + 2, "OFF")
                        || (st.is(k + 2, TokenKind.STRING) && st.text(k + 2).equalsIgnoreCase("'false'")))) {
                return true;
            }
        }
        return false;
    }

    private void alter(TokenRange st) {
        if (st.startsWith("ALTER", "SYSTEM")) {
            nonTransactional(st, 0, "ALTER SYSTEM");
        } else if (st.startsWith("ALTER", "DATABASE") && st.findTopLevel(2, "SET", "TABLESPACE") >= 0) {
            nonTransactional(st, 0, "ALTER DATABASE … SET TABLESPACE");
        } else if (st.startsWith("ALTER", "TABLE")) {
            alterTable.check(st);
        }
    }

    private void drop(TokenRange st) {
        if (st.startsWith("DROP", "TABLE")) {
            int i = st.matchesAt(2, "IF", "EXISTS") ? 4 : 2;
            String name = Names.lastPart(st, i);
            if (name == null || !createdTables.contains(name)) {
                sink.report(Rule.DROP_TABLE, st.fileOffset(0),
                        "DROP TABLE " + DestructiveRules.objectNames(st, 2) + " deletes the table and its data");
            }
        } else if (st.startsWith("DROP", "INDEX", "CONCURRENTLY")) {
            nonTransactional(st, 0, "DROP INDEX CONCURRENTLY");
        } else if (st.startsWith("DROP", "TABLESPACE")) {
            nonTransactional(st, 0, "DROP TABLESPACE");
        } else if (st.startsWith("DROP", "SUBSCRIPTION")) {
            nonTransactional(st, 0, "DROP SUBSCRIPTION (with a replication slot)");
        }
    }

    /** REINDEX CONCURRENTLY and REINDEX SCHEMA|DATABASE|SYSTEM refuse transaction blocks. */
    private void reindex(TokenRange st) {
        int i = 1;
        boolean concurrentOption = false;
        if (st.is(i, TokenKind.LPAREN)) {
            int close = st.closeParen(i);
            for (int k = i + 1; k < close; k++) {
                concurrentOption |= st.isWord(k, "CONCURRENTLY"); // PostgreSQL 14 option-list form
            }
            i = close + 1;
        }
        if (concurrentOption) {
            nonTransactional(st, 0, "REINDEX (CONCURRENTLY)");
        } else if (st.isWord(i, "SCHEMA") || st.isWord(i, "DATABASE") || st.isWord(i, "SYSTEM")) {
            nonTransactional(st, 0, "REINDEX " + st.text(i).toUpperCase(Locale.ROOT));
        } else if (st.isWord(i + 1, "CONCURRENTLY")) {
            nonTransactional(st, 0, "REINDEX … CONCURRENTLY");
        }
    }

    /** CLUSTER without a table re-clusters every table and refuses a transaction block. */
    private void cluster(TokenRange st) {
        int i = 1;
        if (st.is(i, TokenKind.LPAREN)) {
            i = st.closeParen(i) + 1;
        } else if (st.isWord(i, "VERBOSE")) {
            i++;
        }
        if (i >= st.size()) {
            nonTransactional(st, 0, "CLUSTER without a table");
        }
    }

    void nonTransactional(TokenRange st, int at, String what) {
        if (sink.options().transactional()) {
            sink.report(Rule.NON_TRANSACTIONAL, st.fileOffset(at),
                    what + " cannot run inside a transaction block, and this migration is transactional");
        }
    }
}
