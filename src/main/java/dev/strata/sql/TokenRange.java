package dev.strata.sql;

/**
 * A statement seen as tokens {@code [from, to)} of a {@link TokenBuffer}, with a mapping from
 * offsets in the buffer's source to offsets in the migration file (identity for the file itself
 * and for dollar-quoted bodies; an explicit table for unescaped string literals).
 */
final class TokenRange {

    final TokenBuffer tokens;
    final int from;
    final int to;
    private final int[] offsetMap;
    private String firstWord;

    TokenRange(TokenBuffer tokens, int from, int to, int[] offsetMap) {
        this.tokens = tokens;
        this.from = from;
        this.to = to;
        this.offsetMap = offsetMap;
    }

    int size() {
        return to - from;
    }

    boolean isWord(int i, String upperWord) {
        return i >= 0 && i < size() && tokens.isWord(from + i, upperWord);
    }

    boolean is(int i, TokenKind kind) {
        return i >= 0 && i < size() && tokens.is(from + i, kind);
    }

    TokenKind kind(int i) {
        return tokens.kind(from + i);
    }

    int start(int i) {
        return tokens.start(from + i);
    }

    int end(int i) {
        return tokens.end(from + i);
    }

    String text(int i) {
        return tokens.text(from + i);
    }

    /** Offset in the migration file of token {@code i} (relative index). */
    int fileOffset(int i) {
        int local = tokens.start(from + Math.min(i, size() - 1));
        return offsetMap == null ? local : offsetMap[local];
    }

    /** Maps an offset in the token source to the migration file. */
    int mapOffset(int local) {
        return offsetMap == null ? local : offsetMap[local];
    }

    int[] offsetMap() {
        return offsetMap;
    }

    /** The first token upper-cased if it is an unquoted word, else "" (for switch dispatch). */
    String firstWord() {
        if (firstWord == null) {
            firstWord = size() > 0 && tokens.is(from, TokenKind.WORD) ? tokens.upperWord(from) : "";
        }
        return firstWord;
    }

    boolean startsWith(String... words) {
        return matchesAt(0, words);
    }

    boolean matchesAt(int i, String... words) {
        if (i + words.length > size()) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            if (!isWord(i + k, words[k])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Index of the first {@code words} sequence at parenthesis depth 0 at or after {@code start},
     * or -1; words inside parentheses belong to sub-expressions, not to the statement's clauses.
     */
    int findTopLevel(int start, String... words) {
        int depth = 0;
        for (int i = start; i < size(); i++) {
            TokenKind k = kind(i);
            if (k == TokenKind.LPAREN || k == TokenKind.LBRACKET) {
                depth++;
            } else if (k == TokenKind.RPAREN || k == TokenKind.RBRACKET) {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0 && matchesAt(i, words)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the matching close parenthesis of the '(' at {@code open}, or size(). */
    int closeParen(int open) {
        int depth = 0;
        for (int i = open; i < size(); i++) {
            TokenKind k = kind(i);
            if (k == TokenKind.LPAREN) {
                depth++;
            } else if (k == TokenKind.RPAREN && --depth == 0) {
                return i;
            }
        }
        return size();
    }
}
