package dev.strata.catalog;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a source file's bytes into the text that will be sent to PostgreSQL, refusing what the
 * server would refuse only later, mid-run: bytes that are not UTF-8, and NUL characters (the
 * protocol's query strings are NUL-terminated, PostgreSQL docs "Message Formats", so the server
 * rejects them with 08P01).
 */
public final class SourceText {

    private SourceText() {
    }

    /**
     * The file's text; or null after appending a problem naming {@code file:line[:column]}.
     *
     * @param file a file whose bytes were read
     */
    public static String decode(SourceFile file, List<String> problems) {
        String text;
        try {
            text = newDecoder().decode(ByteBuffer.wrap(file.bytes())).toString();
        } catch (CharacterCodingException e) {
            int offset = firstInvalidUtf8(file.bytes());
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (file.bytes()[i] == '\n') {
                    line++;
                }
            }
            problems.add(file.display() + ":" + line + ": invalid UTF-8 at byte " + offset
                    + "; save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)");
            return null;
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            problems.add(file.display() + ":" + position(text, nul) + ": NUL byte; PostgreSQL cannot accept NUL in "
                    + "query text; remove it (a file saved as UTF-16 has one in every other byte: save it as UTF-8)");
            return null;
        }
        return text;
    }

    /** 1-based {@code line:column} of a char offset, counting as the scanner does (LF ends a line, a BOM is no column). */
    private static String position(String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
            line++;
            lineStart = i + 1;
        }
        int column = offset - lineStart + 1;
        if (line == 1 && text.startsWith("\uFEFF") && offset > 0) {
            column--;
        }
        return line + ":" + column;
    }

    private static CharsetDecoder newDecoder() {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = newDecoder().decode(in, CharBuffer.allocate(bytes.length + 1), true);
        return result.isError() ? in.position() : bytes.length;
    }
}
