package dev.strata.sql;

import java.util.List;

/**
 * One SQL statement of a script as psql would send it: char offsets {@code [start, end)} into the
 * script (leading comments trimmed, terminating ';' excluded), the position of {@code start}, its
 * text, its leading key words upper-cased (up to five unquoted words, e.g. [DROP, SCHEMA, IF,
 * EXISTS]), the offset of its terminating ';' (-1 if none) and whether it is a
 * {@code COPY … FROM STDIN} whose data lines follow it.
 */
public record SqlStatement(int start, int end, SourcePosition position, String text,
        List<String> leadingWords, int terminatorOffset, boolean copyFromStdin) {

    public SqlStatement {
        leadingWords = List.copyOf(leadingWords);
    }

    /** True if the statement's leading key words are {@code words} (upper-case), in order. */
    public boolean startsWith(String... words) {
        if (words.length > leadingWords.size()) {
            return false;
        }
        for (int i = 0; i < words.length; i++) {
            if (!leadingWords.get(i).equals(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Offset just past the statement including its ';' terminator if it has one. */
    public int endIncludingTerminator() {
        return terminatorOffset >= 0 ? terminatorOffset + 1 : end;
    }
}
