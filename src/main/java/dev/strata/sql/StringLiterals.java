package dev.strata.sql;

/**
 * Decodes the value of a string constant token (PostgreSQL docs, "String Constants", "String
 * Constants with C-Style Escapes", "Dollar-Quoted String Constants") together with a map from each
 * char of the value back to its offset in the source, so findings inside a function body or an
 * EXECUTE string can be reported at their line:column in the file.
 */
final class StringLiterals {

    /** A decoded value; {@code map[i]} is the source offset of {@code text.charAt(i)}, and map has one extra entry for the end. */
    record Decoded(String text, int[] map) {
    }

    private StringLiterals() {
    }

    /** Content bounds {@code [start, end)} of a dollar-quoted token, tolerating a missing close tag. */
    static int[] dollarContent(String s, int tokenStart, int tokenEnd, boolean unterminated) {
        int tagEnd = s.indexOf('$', tokenStart + 1) + 1;
        int tagLength = tagEnd - tokenStart;
        int contentEnd = unterminated ? tokenEnd : tokenEnd - tagLength;
        return new int[] {tagEnd, Math.max(tagEnd, contentEnd)};
    }

    /**
     * Decodes a '…', E'…', N'…' or U&amp;'…' token spanning {@code [start, end)} of {@code s},
     * joining continuation lines; returns null for bit strings. U&amp; escapes are kept verbatim:
     * they cannot spell SQL key words that matter here without being obvious to a reviewer.
     */
    static Decoded decode(String s, int start, int end) {
        char c0 = s.charAt(start);
        int p = start;
        boolean escapes = false;
        if (c0 == 'e' || c0 == 'E') {
            escapes = true;
            p++;
        } else if (c0 == 'n' || c0 == 'N') {
            p++;
        } else if (c0 == 'u' || c0 == 'U') {
            p += 2;
        } else if (c0 != '\'') {
            return null;
        }
        p++; // opening quote
        StringBuilder text = new StringBuilder(end - p);
        int[] map = new int[end - p + 1];
        int n = 0;
        while (p < end) {
            char c = s.charAt(p);
            if (c == '\'') {
                if (p + 1 < end && s.charAt(p + 1) == '\'') {
                    map[n++] = p;
                    text.append('\'');
                    p += 2;
                    continue;
                }
                // closing quote, or the start of the whitespace before a continuation literal
                int q = s.indexOf('\'', p + 1);
                if (q < 0 || q >= end) {
                    break;
                }
                p = q + 1;
                continue;
            }
            if (escapes && c == '\\' && p + 1 < end) {
                map[n++] = p;
                text.append(unescape(s.charAt(p + 1)));
                p += 2;
                continue;
            }
            map[n++] = p;
            text.append(c);
            p++;
        }
        map[n] = Math.min(p, end);
        return new Decoded(text.toString(), java.util.Arrays.copyOf(map, n + 1));
    }

    private static char unescape(char c) {
        switch (c) {
            case 'n':
                return '\n';
            case 't':
                return '\t';
            case 'r':
                return '\r';
            case 'b':
                return '\b';
            case 'f':
                return '\f';
            default:
                return c; // \\, \', and octal/hex/unicode escapes approximated by the char itself
        }
    }
}
