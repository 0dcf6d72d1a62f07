package dev.strata.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Strata's own SQL, kept as {@code .sql} resources under {@code db/strata/} and loaded once. */
public final class SqlResources {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SqlResources() {
    }

    /**
     * The text of {@code db/strata/NAME}.
     *
     * @throws IllegalStateException when the resource is missing (a packaging bug)
     */
    public static String get(String name) {
        return CACHE.computeIfAbsent(name, SqlResources::load);
    }

    private static String load(String name) {
        String path = "db/strata/" + name;
        try (InputStream in = SqlResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Strata resource " + path + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
