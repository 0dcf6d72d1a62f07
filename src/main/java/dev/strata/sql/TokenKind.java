package dev.strata.sql;

/** Kinds of tokens produced by {@link SqlLexer}, after PostgreSQL's "Lexical Structure" chapter. */
public enum TokenKind {
    /** Unquoted identifier or key word (case-insensitive). */
    WORD,
    /** Double-quoted identifier, including U&amp;"…". */
    QUOTED_IDENT,
    /** String constant: '…', E'…', U&amp;'…', B'…', X'…', N'…' (with continuation lines). */
    STRING,
    /** Dollar-quoted string constant {@code $tag$…$tag$}. */
    DOLLAR_STRING,
    /** Numeric constant. */
    NUMBER,
    /** Positional parameter {@code $1}. */
    PARAM,
    /** Operator, also {@code :=}, {@code =>} and {@code ..}. */
    OPERATOR,
    /** The type cast {@code ::}. */
    TYPECAST,
    SEMICOLON,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    COMMA,
    DOT,
    COLON,
    /** {@code --} or (nested) block comment. */
    COMMENT,
    /** psql backslash meta-command with its arguments (only when lexing a psql script). */
    META_COMMAND,
    /** Data lines following {@code COPY … FROM STDIN}, up to and including the {@code \.} line. */
    COPY_DATA,
    /** Any other single character. */
    OTHER
}
