package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.catalog.CatalogMigration;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** Numbers and durations as users read them, whatever the machine's locale. */
@Tag("unit")
class ConsoleFormatTest {

    @Test
    void migrationNumbersHaveAtLeastThreeDigits() {
        assertThat(CatalogMigration.format(0)).isEqualTo("000");
        assertThat(CatalogMigration.format(7)).isEqualTo("007");
        assertThat(CatalogMigration.format(42)).isEqualTo("042");
        assertThat(CatalogMigration.format(100)).isEqualTo("100");
        assertThat(CatalogMigration.format(20260101120000L)).isEqualTo("20260101120000");
    }

    @Test
    void durationsUseMillisecondsBelowASecondThenTenthsRoundedHalfUp() {
        assertThat(Console.duration(0)).isEqualTo("0 ms");
        assertThat(Console.duration(999)).isEqualTo("999 ms");
        assertThat(Console.duration(1000)).isEqualTo("1.0 s");
        assertThat(Console.duration(1049)).isEqualTo("1.0 s");
        assertThat(Console.duration(1050)).isEqualTo("1.1 s");
        assertThat(Console.duration(9960)).isEqualTo("10.0 s");
        assertThat(Console.duration(61234)).isEqualTo("61.2 s");
    }

    @Test
    void durationsDoNotFollowTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY); // String.format("%.1f") would print "1,5 s"
            assertThat(Console.duration(1500)).isEqualTo("1.5 s");
        } finally {
            Locale.setDefault(saved);
        }
    }
}
