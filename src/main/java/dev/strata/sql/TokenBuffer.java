package dev.strata.sql;

import java.util.Arrays;
import java.util.Locale;

/** Growable columnar token store (kind, start, end) so large scripts do not allocate per token. */
final class TokenBuffer {

    private static final TokenKind[] KINDS = TokenKind.values();

    private final String source;
    private byte[] kinds;
    private int[] starts;
    private int[] ends;
    private int size;

    TokenBuffer(String source, int capacity) {
        this.source = source;
        int c = Math.max(16, capacity);
        kinds = new byte[c];
        starts = new int[c];
        ends = new int[c];
    }

    String source() {
        return source;
    }

    int add(int kind, int start, int end) {
        if (size == kinds.length) {
            int c = size * 2;
            kinds = Arrays.copyOf(kinds, c);
            starts = Arrays.copyOf(starts, c);
            ends = Arrays.copyOf(ends, c);
        }
        kinds[size] = (byte) kind;
        starts[size] = start;
        ends[size] = end;
        return size++;
    }

    int size() {
        return size;
    }

    TokenKind kind(int i) {
        return KINDS[kinds[i]];
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    String text(int i) {
        return source.substring(starts[i], ends[i]);
    }

    /** True if token {@code i} is the unquoted key word {@code upperWord} (ASCII, any case). */
    boolean isWord(int i, String upperWord) {
        return kinds[i] == TokenKind.WORD.ordinal()
                && ends[i] - starts[i] == upperWord.length()
                && source.regionMatches(true, starts[i], upperWord, 0, upperWord.length());
    }

    boolean is(int i, TokenKind kind) {
        return kinds[i] == kind.ordinal();
    }

    /** Upper-cased text of a word token, for classification. */
    String upperWord(int i) {
        return source.substring(starts[i], ends[i]).toUpperCase(Locale.ROOT);
    }
}
