package dev.strata.db;

import org.junit.jupiter.api.Tag;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever URL shape and password a user types, no printable form Strata derives from it
 * (settings, redacted URL, error messages, free-text redaction) holds the password or a five-character
 * piece of it. A seeded generator loop: a failure names its seed and case, so it can be replayed.
 */
@Tag("unit")
class RedactionPropertyTest {

    private static final String[] CLASSES = {
            "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789",
            "@/#%?&:;=+ !\"$'()*,-.<>[\\]^_`{|}~", "éß中ж😀", "\t"};

    private static final long SEED = 20261202L;
    private static final int CASES = 3000;

    @Test
    void noPasswordEverAppearsInAnyMessageWhateverTheUrlShape() {
        Random random = new Random(SEED);
        for (int i = 0; i < CASES; i++) {
            String password = password(random);
            for (String url : shapes(password, random)) {
                Secrets.forgetAll(); // one URL, one process: no shape may rely on another having been read
                for (String text : printed(url, Map.of())) {
                    assertNoPiece(text, password, "case " + i + " url " + url);
                }
            }
        }
    }

    @Test
    void noPgpasswordValueEverAppears() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 500; i++) {
            String password = password(random);
            Secrets.forgetAll();
            Map<String, String> env = Map.of("PGPASSWORD", password, "PGHOST", "db.internal",
                    "PGPORT", random.nextBoolean() ? "5432" : "x" + password);
            for (String text : printed(null, env)) {
                assertNoPiece(text, password, "case " + i + " PGPASSWORD");
            }
        }
    }

    /** The observed leaks from issue 12, item 4, as fixed examples. */
    @Test
    void theObservedLeaksAreClosed() {
        for (String url : List.of("postgresql//u:TopSecret9@y/z", "u:TopSecret9@localhost/db",
                "postgresql://relpw:TopSecret9@ss/w#rd% x y@db.internal/crm")) {
            Secrets.forgetAll();
            for (String text : printed(url, Map.of())) {
                assertThat(text).as(url).doesNotContain("TopSecret9").doesNotContain("ss/w#rd");
            }
        }
    }

    private static List<String> printed(String url, Map<String, String> env) {
        List<String> texts = new ArrayList<>();
        try {
            ConnectionSettings s = ConnectionSettings.resolve(url, env, Optional.empty());
            texts.add(s.redacted());
            texts.add(s.target());
            texts.add(s.source());
        } catch (RuntimeException e) {
            texts.add(String.valueOf(e.getMessage()));
            texts.add(DatabaseUrl.redactText(String.valueOf(e.getMessage())));
        }
        // free text that quotes the URL, as a driver's or server's message might, after Strata read it
        if (url != null) {
            texts.add(DatabaseUrl.redactText(url));
            texts.add(DatabaseUrl.redactText("cannot use " + url + " now"));
        }
        return texts;
    }

    private static String password(Random random) {
        StringBuilder b = new StringBuilder();
        int length = 8 + random.nextInt(12);
        // every case mixes several classes; punctuation is always present (the hard part)
        b.append(pick(random, CLASSES[3]));
        while (b.length() < length) {
            b.append(pick(random, CLASSES[random.nextInt(CLASSES.length)]));
        }
        return b.toString();
    }

    private static String pick(Random random, String chars) {
        int[] cps = chars.codePoints().toArray();
        return new String(Character.toChars(cps[random.nextInt(cps.length)]));
    }

    private static List<String> shapes(String pw, Random random) {
        String enc = URLEncoder.encode(pw, StandardCharsets.UTF_8).replace("+", "%20");
        String tail = random.nextBoolean() ? "" : "?sslmode=require";
        return List.of(
                "postgresql://app:" + pw + "@db.internal:5432/crm" + tail,
                "postgres://app:" + enc + "@db.internal/crm" + tail,
                "jdbc:postgresql://app:" + pw + "@db.internal/crm",
                "postgresql//app:" + pw + "@db.internal/crm",
                "app:" + pw + "@localhost/crm",
                "mysql://app:" + pw + "@db.internal/crm",
                "postgresql://app:" + pw + "@db.internal:notaport/crm",
                "postgresql://app:" + pw + "@bad host/crm",
                "postgresql://app@db.internal/crm?password=" + enc + "&sslmode=require",
                "postgresql://app@db.internal/crm?sslmode=bogus&password=" + enc);
    }

    private static void assertNoPiece(String text, String password, String what) {
        if (text == null) {
            return;
        }
        int[] cps = password.codePoints().toArray();
        for (int start = 0; start + 5 <= cps.length; start++) {
            String piece = new String(cps, start, 5);
            assertThat(text).as(what + " (seed " + SEED + ")").doesNotContain(piece);
        }
    }
}
