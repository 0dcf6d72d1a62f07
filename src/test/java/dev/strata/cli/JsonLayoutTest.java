package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Json's streaming writer produces exactly what Jackson databind (INDENT_OUTPUT, JavaTimeModule) did. */
@Tag("unit")
class JsonLayoutTest {

    enum State { APPLIED, PENDING }

    @Test
    void sameTextAsDatabindForEveryKindOfValueStrataPrints() throws Exception {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", "007_crm_system_schema");
        step.put("elapsedMs", 12L);
        step.put("verifyMs", 0);
        step.put("transactional", true);
        step.put("error", null);
        step.put("executedAt", OffsetDateTime.of(2026, 11, 21, 6, 56, 17, 273_740_000, ZoneOffset.UTC));
        step.put("at", OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)));
        step.put("instant", Instant.parse("2026-11-21T06:56:17.100Z"));
        step.put("state", State.PENDING);
        step.put("ratio", 0.5d);
        step.put("size", new BigDecimal("12.50"));
        step.put("text", "quote \" backslash \\ newline \n tab \t control \u0001 unicode é ✓ 🐘");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("database", "postgresql://app@db:5432/app");
        doc.put("applied", List.of(step, Map.of("name", "008_x")));
        doc.put("empty", List.of());
        doc.put("emptyObject", Map.of());
        doc.put("dependencies", Arrays.asList(1L, 7L, null));
        doc.put("nested", List.of(List.of(1, 2), new ArrayList<>()));
        doc.put("path", Path.of("/tmp/migrations")); // not plain data: the databind fallback

        assertThat(Json.write(doc)).isEqualTo(Json.writeWithDatabind(doc));
        assertThat(Json.write(List.of())).isEqualTo(Json.writeWithDatabind(List.of()));
        assertThat(Json.write("x")).isEqualTo(Json.writeWithDatabind("x"));
        assertThat(Json.write(null)).isEqualTo(Json.writeWithDatabind(null));
    }
}
