package dev.strata.sql;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type as written in DDL, reduced to PostgreSQL's internal name and type modifiers
 * ({@code character varying(32)} → {@code varchar(32)}), and which type changes need no table
 * rewrite (PostgreSQL docs, "ALTER TABLE", Notes: a change to a binary-coercible type, with
 * varchar/varbit length and numeric precision only widened, keeps the table's file).
 */
record SqlType(String base, List<Integer> mods, boolean array) {

    /** What an ALTER COLUMN … TYPE does to the table's file. */
    enum Change { NO_REWRITE, REWRITE, REWRITE_UNLESS_UTC }

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("character varying", "varchar"), Map.entry("char varying", "varchar"),
            Map.entry("character", "bpchar"), Map.entry("char", "bpchar"),
            Map.entry("int", "int4"), Map.entry("integer", "int4"), Map.entry("smallint", "int2"),
            Map.entry("bigint", "int8"), Map.entry("decimal", "numeric"), Map.entry("bit varying", "varbit"),
            Map.entry("timestamp with time zone", "timestamptz"), Map.entry("timestamp without time zone", "timestamp"),
            Map.entry("time with time zone", "timetz"), Map.entry("time without time zone", "time"),
            Map.entry("double precision", "float8"), Map.entry("real", "float4"), Map.entry("float", "float8"),
            Map.entry("boolean", "bool"));

    /** Built-in types that are binary-coercible from no other type a column would have. */
    private static final Set<String> FIXED = Set.of("int2", "int4", "int8", "float4", "float8", "bool",
            "uuid", "json", "jsonb", "date", "time", "timetz", "timestamp", "interval", "bytea",
            "bpchar", "money", "serial", "bigserial", "smallserial", "tsvector", "point", "xml");

    /** Types a narrower or other type can become without a rewrite (the "unless" cases). */
    private static final Set<String> WIDENABLE = Set.of("varchar", "text", "numeric", "varbit", "timestamptz");

    private static final Pattern SHAPE = Pattern.compile("([a-z_][a-z0-9_ ]*?)\\s*(?:\\(([0-9 ,-]+)\\))?\\s*((?:\\[\\d*\\])*)");

    /** Parses the type written in tokens {@code [from, to)}, or returns null when it is not a plain type name. */
    static SqlType parse(TokenRange st, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k < to; k++) {
            if (st.is(k, TokenKind.WORD) && b.length() > 0 && Character.isLetterOrDigit(b.charAt(b.length() - 1))) {
                b.append(' ');
            }
            b.append(st.text(k).toLowerCase(Locale.ROOT));
        }
        String text = b.toString().replace("pg_catalog.", "");
        Matcher m = SHAPE.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String base = m.group(1).strip();
        base = ALIASES.getOrDefault(base, base);
        List<Integer> mods = m.group(2) == null ? List.of()
                : java.util.Arrays.stream(m.group(2).split(",")).map(String::strip).map(Integer::valueOf).toList();
        if (base.equals("numeric") && mods.size() == 1) {
            mods = List.of(mods.get(0), 0);
        }
        return new SqlType(base, mods, !m.group(3).isEmpty());
    }

    /** Whether no old type can reach this one without a rewrite (other than itself). */
    boolean alwaysRewrites() {
        return FIXED.contains(base);
    }

    /** Whether some narrower or related type can become this one without a rewrite. */
    boolean widenable() {
        return WIDENABLE.contains(base);
    }

    /** What changing a column from {@code old} to this type does; the rules of "ALTER TABLE", Notes. */
    Change from(SqlType old) {
        if (equals(old)) {
            return Change.NO_REWRITE;
        }
        if (array != old.array) {
            return Change.REWRITE;
        }
        boolean varlen = base.equals("varchar") || base.equals("varbit");
        if (varlen && (old.base.equals(base) || (base.equals("varchar") && old.base.equals("text")))) {
            return mods.isEmpty() || (!old.mods.isEmpty() && old.base.equals(base) && mods.get(0) >= old.mods.get(0))
                    ? Change.NO_REWRITE : Change.REWRITE;
        }
        if (base.equals("text") && (old.base.equals("varchar") || old.base.equals("text"))) {
            return Change.NO_REWRITE;
        }
        if (base.equals("numeric") && old.base.equals("numeric")) {
            return mods.isEmpty() || (old.mods.size() == 2 && mods.get(1).equals(old.mods.get(1))
                    && mods.get(0) >= old.mods.get(0)) ? Change.NO_REWRITE : Change.REWRITE;
        }
        if (base.equals("timestamptz") && old.base.equals("timestamp")) {
            return Change.REWRITE_UNLESS_UTC;
        }
        return Change.REWRITE;
    }

    /** The old types from which this one needs no rewrite, for messages. */
    String noRewriteSources() {
        String n = mods.isEmpty() ? "" : String.valueOf(mods.get(0));
        return switch (base) {
            case "text" -> "varchar or text";
            case "varchar" -> mods.isEmpty() ? "varchar(n) or text" : "varchar(n) with n <= " + n;
            case "varbit" -> mods.isEmpty() ? "varbit(n)" : "varbit(n) with n <= " + n;
            case "numeric" -> mods.isEmpty() ? "numeric(p,s)" : "numeric(p," + mods.get(1) + ") with p <= " + n;
            case "timestamptz" -> "timestamp and the session TimeZone is UTC";
            default -> "binary-coercible to " + this + " (e.g. " + this + " is an unconstrained domain over it)";
        };
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(base);
        if (!mods.isEmpty()) {
            b.append('(').append(String.join(",", mods.stream().map(String::valueOf).toList())).append(')');
        }
        return array ? b.append("[]").toString() : b.toString();
    }
}
