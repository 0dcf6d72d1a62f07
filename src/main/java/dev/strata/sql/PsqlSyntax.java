package dev.strata.sql;

import java.util.List;

/** psql's own syntax on top of SQL (psql docs, "Meta-Commands"; psqlscan.l). */
final class PsqlSyntax {

    /** psql meta-commands whose argument is the rest of the line (psqlscan.l OT_WHOLE_LINE). */
    private static final List<String> WHOLE_LINE_COMMANDS =
            List.of("copy", "!", "help", "h", "ef", "ev", "sf", "sv");

    private PsqlSyntax() {
    }

    /**
     * End offset of the meta-command whose backslash is at {@code p}: arguments run to the end of
     * the line or an unquoted backslash, and a {@code \\} separator is swallowed.
     */
    static int metaCommandEnd(char[] cs, int p, int n) {
        char c1 = p + 1 < n ? cs[p + 1] : '\0';
        if (c1 == ';') {
            return p + 2;
        }
        if (c1 == ':') {
            return p + 1;
        }
        int q = p + 1;
        while (q < n && !SqlChars.isSpace(cs[q]) && cs[q] != '\\') {
            q++;
        }
        String name = new String(cs, p + 1, q - p - 1);
        if (WHOLE_LINE_COMMANDS.contains(name)) {
            while (q < n && cs[q] != '\n' && cs[q] != '\r') {
                q++;
            }
            return q;
        }
        while (q < n) {
            char c = cs[q];
            if (c == '\n' || c == '\r' || c == '\\') {
                break;
            }
            if (c == '\'' || c == '"' || c == '`') {
                q = argumentQuoteEnd(cs, q + 1, n, c);
                continue;
            }
            q++;
        }
        if (q + 1 < n && cs[q] == '\\' && cs[q + 1] == '\\') {
            q += 2; // "\\" separates a meta-command from following SQL on the same line
        }
        return q;
    }

    private static int argumentQuoteEnd(char[] cs, int q, int n, char quote) {
        while (q < n && cs[q] != '\n' && cs[q] != '\r') {
            char c = cs[q];
            if (quote == '\'' && c == '\\') {
                q += 2;
                continue;
            }
            if (c == quote) {
                if (q + 1 < n && cs[q + 1] == quote) {
                    q += 2;
                    continue;
                }
                return q + 1;
            }
            q++;
        }
        return Math.min(q, n);
    }
}
