package dev.strata.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * JSON output for {@code --json}: pretty-printed, ISO-8601 timestamps, via Jackson.
 *
 * <p>The documents are maps, lists, strings, numbers, booleans and timestamps; they are written
 * with Jackson's streaming generator, in the layout of {@code ObjectMapper} with
 * {@code INDENT_OUTPUT} (a test compares both). Databind's {@code ObjectMapper} would need its
 * serializers built by reflection on first use, about 60 ms of a short run; it is still used, and
 * only created, for a value of any other type.
 */
public final class Json {

    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** The fallback for values that are not plain data; created on first use. */
    private static final class Databind {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Prints {@code value} (maps, lists, records) as JSON on stdout. */
    public static void print(Object value) {
        System.out.println(write(value));
    }

    /** {@code value} as JSON text. */
    public static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.useDefaultPrettyPrinter();
            writeValue(generator, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** The same document through databind's {@code ObjectMapper}, for the layout test. */
    public static String writeWithDatabind(Object value) throws IOException {
        return Databind.MAPPER.writeValueAsString(value);
    }

    private static void writeValue(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof java.util.Collection<?> items) { // not Iterable: a Path is one
            g.writeStartArray();
            for (Object item : items) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (value instanceof OffsetDateTime t) {
            g.writeString(DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t)); // as JavaTimeModule does
        } else if (value instanceof Instant t) {
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(t));
        } else if (value instanceof Enum<?> e) {
            g.writeString(e.name());
        } else {
            Databind.MAPPER.writeValue(g, value);
        }
    }
}
