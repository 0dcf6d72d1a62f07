package dev.strata.sql;

import java.util.Locale;
import java.util.Set;

/**
 * Statements that change how the server lexes string literals: {@code standard_conforming_strings}
 * and {@code backslash_quote} (PostgreSQL docs, "Previous PostgreSQL Versions" settings, and
 * "String Constants"). With {@code standard_conforming_strings = off} the server reads
 * {@code '\' AS a, '} as one string, so text the scanner saw inside a literal runs as SQL; the
 * scanner reads every file as the server does with it on, which Strata's sessions set, so any
 * statement that could turn it off is an error.
 */
final class LexingSettings {

    private static final Set<String> SETTINGS = Set.of("standard_conforming_strings", "backslash_quote");

    private LexingSettings() {
    }

    /**
     * Reports SET / SET LOCAL / SET SESSION / RESET of either setting, RESET ALL and DISCARD ALL
     * (they restore the session default, which a legacy ALTER DATABASE/ROLE … SET may have made
     * off), ALTER DATABASE/ROLE/USER/SYSTEM/FUNCTION … SET or RESET of them, a routine's SET
     * clause, and {@code set_config()} naming them (or a name the scanner cannot read).
     */
    static void check(TokenRange st, FindingSink sink, String where) {
        String first = st.firstWord();
        if ((first.equals("RESET") || first.equals("DISCARD")) && st.isWord(1, "ALL")) {
            sink.report(Rule.LEXING_SETTING, st.fileOffset(0), first + " ALL" + where + " restores the session "
                    + "defaults, which may include standard_conforming_strings = off (a database or role setting), "
                    + "and the server would then read the rest of the file differently from the scanner");
            return;
        }
        boolean setting = first.equals("SET") || first.equals("RESET") || first.equals("ALTER") || first.equals("CREATE");
        for (int i = 0; i < st.size(); i++) {
            if (setting && names(st, i)) {
                sink.report(Rule.LEXING_SETTING, st.fileOffset(0), first + " … " + st.text(i) + where
                        + " changes how the server reads string literals, so it could run text the scanner read as a string");
                return;
            }
            if (st.isWord(i, "SET_CONFIG") && st.is(i + 1, TokenKind.LPAREN)) {
                setConfig(st, i, sink, where);
            }
        }
    }

    private static boolean names(TokenRange st, int i) {
        String text = st.text(i);
        if (st.is(i, TokenKind.QUOTED_IDENT) && text.length() >= 2) {
            return SETTINGS.contains(text.substring(1, text.length() - 1));
        }
        return st.is(i, TokenKind.WORD) && SETTINGS.contains(text.toLowerCase(Locale.ROOT));
    }

    private static void setConfig(TokenRange st, int at, FindingSink sink, String where) {
        int arg = at + 2;
        StringLiterals.Decoded name = st.is(arg, TokenKind.STRING)
                ? StringLiterals.decode(st.tokens.source(), st.start(arg), st.end(arg)) : null;
        if (name == null) {
            sink.report(Rule.CANNOT_VERIFY, st.fileOffset(at), "cannot verify set_config()" + where
                    + ": its setting name is computed at run time and may be standard_conforming_strings");
        } else if (SETTINGS.contains(name.text().trim().toLowerCase(Locale.ROOT))) {
            sink.report(Rule.LEXING_SETTING, st.fileOffset(at), "set_config('" + name.text() + "')" + where
                    + " changes how the server reads string literals, so it could run text the scanner read as a string");
        }
    }
}
