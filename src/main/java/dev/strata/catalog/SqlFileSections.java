package dev.strata.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps a forward-only tool from running the "down" half of files written for dbmate
 * ({@code -- migrate:down}) or goose ({@code -- +goose Down}): everything from that marker line
 * on is blanked, keeping the length and line structure so positions still map to the file.
 */
public final class SqlFileSections {

    private static final Pattern DOWN_MARKER = Pattern.compile(
            "(?m)^[ \\t]*--[ \\t]*(?:migrate:down|\\+goose[ \\t]+down)\\b.*$", Pattern.CASE_INSENSITIVE);

    private SqlFileSections() {
    }

    /** The file with any down section replaced by spaces (newlines kept); the same string when none. */
    public static String executablePart(String sql) {
        Matcher m = DOWN_MARKER.matcher(sql);
        if (!m.find()) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length());
        out.append(sql, 0, m.start());
        for (int i = m.start(); i < sql.length(); i++) {
            char c = sql.charAt(i);
            out.append(c == '\n' || c == '\r' ? c : ' ');
        }
        return out.toString();
    }
}
