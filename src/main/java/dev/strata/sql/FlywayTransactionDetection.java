package dev.strata.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Flyway's own decision (PostgreSQL) whether each statement of a migration can run inside a
 * transaction, made with Strata's lexer and splitter: Flyway upper-cases the first ten unquoted
 * words of a statement that stand outside parentheses and, word by word, matches the words so far
 * against its list of statements PostgreSQL refuses in a transaction block. Source: Flyway's
 * {@code PostgreSQLParser.detectCanExecuteInTransaction} and {@code Parser} (transactional
 * detection cut-off of ten key words), Flyway 13 ({@code flyway-database-postgresql}).
 *
 * <p>The list is Flyway's, not Strata's scanner's: {@code REINDEX TABLE … CONCURRENTLY} or
 * {@code DETACH PARTITION … CONCURRENTLY} are not on it (Flyway runs such a file in a transaction,
 * where PostgreSQL refuses it; Strata's scanner reports that before connecting). {@code ALTER TYPE
 * … ADD VALUE} counts only before PostgreSQL 12, older than any server Strata supports, so it is
 * transactional here.
 */
public final class FlywayTransactionDetection {

    /** Flyway's {@code getTransactionalDetectionCutoff()}: words after the tenth are not looked at. */
    private static final int CUTOFF = 10;

    private static final List<Pattern> NON_TRANSACTIONAL = List.of(
            Pattern.compile("(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)"),
            Pattern.compile("ALTER SYSTEM"),
            Pattern.compile("(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY"),
            Pattern.compile("REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)"),
            Pattern.compile("VACUUM"),
            Pattern.compile("DISCARD ALL"));

    /**
     * One statement and Flyway's verdict on it.
     *
     * @param statement               the statement as Strata's splitter cut it
     * @param canExecuteInTransaction false when Flyway would mark it {@code [non-transactional]}
     * @param words                   the words Flyway matched, e.g. {@code CREATE INDEX CONCURRENTLY}; empty when transactional
     */
    public record Verdict(SqlStatement statement, boolean canExecuteInTransaction, String words) {
    }

    private FlywayTransactionDetection() {
    }

    /**
     * Flyway's verdict for every statement of {@code script} (the wrapper statements of an old
     * {@code BEGIN; … COMMIT;} template included, as Flyway sees them), in file order.
     */
    public static List<Verdict> verdicts(SqlScript script) {
        List<Verdict> verdicts = new ArrayList<>();
        TokenBuffer tokens = script.tokens();
        List<SqlStatement> statements = script.statements();
        for (int i = 0; i < statements.size(); i++) {
            String matched = nonTransactionalWords(tokens, script.firstToken(i), script.endToken(i));
            verdicts.add(new Verdict(statements.get(i), matched == null, matched == null ? "" : matched));
        }
        return verdicts;
    }

    /** The words so far when they first match one of Flyway's patterns, or null. */
    private static String nonTransactionalWords(TokenBuffer tokens, int from, int to) {
        StringBuilder words = new StringBuilder();
        int depth = 0;
        int seen = 0;
        for (int i = from; i < to && seen < CUTOFF; i++) {
            TokenKind kind = tokens.kind(i);
            if (kind == TokenKind.LPAREN) {
                depth++;
            } else if (kind == TokenKind.RPAREN) {
                depth = Math.max(0, depth - 1);
            } else if (kind == TokenKind.WORD && depth == 0) {
                seen++;
                if (!words.isEmpty()) {
                    words.append(' ');
                }
                words.append(tokens.upperWord(i));
                String soFar = words.toString();
                for (Pattern p : NON_TRANSACTIONAL) {
                    if (p.matcher(soFar).matches()) {
                        return soFar;
                    }
                }
            }
        }
        return null;
    }
}
