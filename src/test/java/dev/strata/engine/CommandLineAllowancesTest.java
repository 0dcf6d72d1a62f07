package dev.strata.engine;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("unit")
class CommandLineAllowancesTest {

    private static Catalog flyway() throws URISyntaxException {
        Path sql = Path.of(CommandLineAllowancesTest.class.getClassLoader().getResource("layouts/flyway/sql").toURI());
        return CatalogLoader.fromLocations(List.of(sql), "auto", false);
    }

    /** An allowance from the command line must not turn a Flyway folder into a Strata one (adoption keys on it). */
    @Test
    void anAllowanceKeepsTheCatalogsLayout() throws Exception {
        Catalog catalog = flyway();
        assertThat(catalog.layout()).isEqualTo("flyway");
        List<String> log = new ArrayList<>();
        Catalog allowed = CommandLineAllowances.parse(List.of("rename@1=nothing to rename")).applyTo(catalog, log::add);
        assertThat(allowed.layout()).isEqualTo("flyway");
        assertThat(allowed.migrations().get(0).allowances()).containsEntry("rename", "nothing to rename");
        assertThat(log).anyMatch(l -> l.contains("matches no rename finding"));
    }
}
