package dev.strata.sql;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@Tag("unit")
class SqlLexerTest {

    private static List<String> kinds(String sql) {
        return SqlLexer.tokenize(sql).stream().map(t -> t.kind() + ":" + t.text(sql))
                .collect(Collectors.toList());
    }

    private static Token only(String sql) {
        List<Token> tokens = SqlLexer.tokenize(sql);
        assertThat(tokens).hasSize(1);
        return tokens.get(0);
    }

    @Test
    void whitespaceIncludesFormFeedAndVerticalTab() {
        assertThat(kinds("a\f\u000Bb\r\n\tc")).containsExactly("WORD:a", "WORD:b", "WORD:c");
    }

    @Test
    void lineCommentEndsAtNewline() {
        assertThat(kinds("a -- x ; y\nb")).containsExactly("WORD:a", "COMMENT:-- x ; y", "WORD:b");
    }

    @Test
    void blockCommentsNest() {
        assertThat(kinds("a /* x /* y */ ; */ b")).containsExactly("WORD:a", "COMMENT:/* x /* y */ ; */", "WORD:b");
    }

    @Test
    void unterminatedBlockCommentIsFlagged() {
        Token t = SqlLexer.tokenize("a /* x /* y */").get(1);
        assertThat(t.kind()).isEqualTo(TokenKind.COMMENT);
        assertThat(t.unterminated()).isTrue();
    }

    @Test
    void doubledQuoteInsideString() {
        assertThat(only("'it''s; ok'").kind()).isEqualTo(TokenKind.STRING);
    }

    @Test
    void backslashIsOrdinaryInStandardString() {
        // standard_conforming_strings = on: 'a\' ends at the second quote
        assertThat(kinds("'a\\' b")).containsExactly("STRING:'a\\'", "WORD:b");
    }

    @Test
    void escapeStringHonoursBackslash() {
        assertThat(only("e'\\''").kind()).isEqualTo(TokenKind.STRING);
        assertThat(only("E'a\\\\'").end()).isEqualTo(6);
    }

    @Test
    void stringContinuationNeedsNewline() {
        assertThat(kinds("'a'\n  'b'")).containsExactly("STRING:'a'\n  'b'");
        assertThat(kinds("'a' -- c\n'b'")).hasSize(1);
        assertThat(kinds("'a' 'b'")).hasSize(2);
    }

    @Test
    void prefixedStrings() {
        assertThat(only("U&'d\\0061t'").kind()).isEqualTo(TokenKind.STRING);
        assertThat(only("u&\"d;x\"").kind()).isEqualTo(TokenKind.QUOTED_IDENT);
        assertThat(only("B'1010'").kind()).isEqualTo(TokenKind.STRING);
        assertThat(only("x'1F'").kind()).isEqualTo(TokenKind.STRING);
        assertThat(only("N'abc'").kind()).isEqualTo(TokenKind.STRING);
        assertThat(kinds("U&'d!0061t' UESCAPE '!'")).containsExactly("STRING:U&'d!0061t'", "WORD:UESCAPE", "STRING:'!'");
    }

    @Test
    void dollarQuotes() {
        assertThat(only("$$ a ; 'b $$").kind()).isEqualTo(TokenKind.DOLLAR_STRING);
        assertThat(only("$fn$ $$ ; $x$ $fn$").end()).isEqualTo(18);
        assertThat(only("$a$ $b$a$").end()).isEqualTo(9);
        Token t = only("$q$ never closed");
        assertThat(t.unterminated()).isTrue();
    }

    @Test
    void dollarInsideIdentifierIsNotAQuote() {
        assertThat(kinds("a$$b")).containsExactly("WORD:a$$b");
        assertThat(kinds("$1 + $23")).containsExactly("PARAM:$1", "OPERATOR:+", "PARAM:$23");
    }

    @Test
    void quotedIdentifiers() {
        assertThat(kinds("\"drop schema;\" x")).containsExactly("QUOTED_IDENT:\"drop schema;\"", "WORD:x");
        assertThat(only("\"a\"\"b\"").end()).isEqualTo(6);
    }

    @Test
    void operatorsStopAtCommentStart() {
        assertThat(kinds("a+--x\nb")).containsExactly("WORD:a", "OPERATOR:+", "COMMENT:--x", "WORD:b");
        assertThat(kinds("a*/*x*/b")).containsExactly("WORD:a", "OPERATOR:*", "COMMENT:/*x*/", "WORD:b");
        assertThat(kinds("a=-1")).containsExactly("WORD:a", "OPERATOR:=", "OPERATOR:-", "NUMBER:1");
        assertThat(kinds("a@-1")).containsExactly("WORD:a", "OPERATOR:@-", "NUMBER:1");
    }

    @Test
    void punctuationAndCasts() {
        assertThat(kinds("x::int[1:2];")).containsExactly("WORD:x", "TYPECAST:::", "WORD:int", "LBRACKET:[",
                "NUMBER:1", "COLON::", "NUMBER:2", "RBRACKET:]", "SEMICOLON:;");
        assertThat(kinds("v := 1..2")).containsExactly("WORD:v", "OPERATOR::=", "NUMBER:1", "OPERATOR:..", "NUMBER:2");
    }

    @Test
    void numbers() {
        assertThat(kinds("1.5e-3 .5 0x1F 1_000")).containsExactly("NUMBER:1.5e-3", "NUMBER:.5", "NUMBER:0x1F", "NUMBER:1_000");
    }

    @Test
    void metaCommandsOutsideLiterals() {
        assertThat(kinds("\\set x 1\nselect '\\n'")).containsExactly("META_COMMAND:\\set x 1", "WORD:select", "STRING:'\\n'");
        assertThat(kinds("select 1 \\gset\n")).containsExactly("WORD:select", "NUMBER:1", "META_COMMAND:\\gset");
    }

    @Test
    void byteOrderMarkIsSkipped() {
        assertThat(kinds("\uFEFFselect")).containsExactly("WORD:select");
    }
}
