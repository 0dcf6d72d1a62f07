package dev.strata.sql;

/** Character classes and the operator rule of PostgreSQL's lexer (scan.l). */
final class SqlChars {

    private SqlChars() {
    }

    /**
     * End offset of the operator starting at {@code p}: {@code --} or {@code /*} inside ends it,
     * and a multi-char operator may end in + or - only if it contains one of {@code ~ ! @ # % ^ & | ` ?}
     * (PostgreSQL docs, "Operators" in "Lexical Structure").
     */
    static int operatorEnd(char[] cs, int p, int n) {
        int q = p + 1;
        while (q < n && isOpChar(cs[q])) {
            char c = cs[q];
            char prev = cs[q - 1];
            if ((c == '-' && prev == '-') || (c == '*' && prev == '/')) {
                q--;
                break;
            }
            q++;
        }
        int len = q - p;
        if (len > 1 && isPlusMinus(cs[q - 1])) {
            boolean special = false;
            for (int i = p; i < q - 1; i++) {
                char c = cs[i];
                if ("~!@#^&|`?%".indexOf(c) >= 0) {
                    special = true;
                    break;
                }
            }
            if (!special) {
                while (len > 1 && isPlusMinus(cs[p + len - 1])) {
                    len--;
                }
            }
        }
        return p + len;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** scan.l ident_start: letters, underscore and any non-ASCII character. */
    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c > 0x7F;
    }

    static boolean isIdentCont(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    static boolean isDollarTagCont(char c) {
        return isIdentStart(c) || isDigit(c);
    }

    static boolean isOpChar(char c) {
        switch (c) {
            case '~', '!', '@', '#', '^', '&', '|', '`', '?', '+', '-', '*', '/', '%', '<', '>', '=':
                return true;
            default:
                return false;
        }
    }

    static boolean isPlusMinus(char c) {
        return c == '+' || c == '-';
    }
}
