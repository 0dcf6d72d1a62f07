package dev.strata.sql;

import java.util.Arrays;
import java.util.Locale;

/** Growable columnar token store (kind, start, end) so large scripts do not allocate per token. */
final class TokenBuffer {

    private static final TokenKind[] KINDS = TokenKind.values();
    private static final int WORD = TokenKind.WORD.ordinal();

    private final String source;
    private final char[] chars;
    private byte[] kinds;
    private int[] starts;
    private int[] ends;
    private int size;
    private int unterminatedAt = -1;

    TokenBuffer(String source, char[] chars, int capacity) {
        this.source = source;
        this.chars = chars;
        int c = Math.max(16, capacity);
        kinds = new byte[c];
        starts = new int[c];
        ends = new int[c];
    }

    String source() {
        return source;
    }

    /** Source offset of the first token that never ends (a literal or comment cut off), or -1. */
    int unterminatedAt() {
        return unterminatedAt;
    }

    void markUnterminated(int offset) {
        if (unterminatedAt < 0) {
            unterminatedAt = offset;
        }
    }

    /** {@link #source()} as a char array, shared with the lexer that produced the tokens. */
    char[] chars() {
        return chars;
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
        int start = starts[i];
        int length = upperWord.length();
        if (kinds[i] != WORD || ends[i] - start != length) {
            return false;
        }
        // key words are ASCII letters and '_': OR-ing 0x20 folds case (DEL cannot occur in a word)
        for (int k = 0; k < length; k++) {
            if ((chars[start + k] | 0x20) != (upperWord.charAt(k) | 0x20)) {
                return false;
            }
        }
        return true;
    }

    boolean is(int i, TokenKind kind) {
        return kinds[i] == kind.ordinal();
    }

    /** Upper-cased text of a word token, for classification. */
    String upperWord(int i) {
        int start = starts[i];
        int length = ends[i] - start;
        char[] out = new char[length];
        for (int k = 0; k < length; k++) {
            char c = chars[start + k];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            } else if (c > 0x7F) {
                return source.substring(start, start + length).toUpperCase(Locale.ROOT);
            }
            out[k] = c;
        }
        return new String(out);
    }
}
