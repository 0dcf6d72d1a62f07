package dev.strata.cli;

import org.junit.jupiter.api.Tag;
import dev.strata.report.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.testing.TestDatabase;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.strata.testing.Engines.write;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code strata repair N}: resume by default, {@code --mark-applied} says that nothing was checked. */
@Tag("cli")
@QuarkusMainTest
class RepairCommandTest {

    @TempDir
    Path dir;
    TestDatabase db;

    @BeforeEach
    void failHalfWay(QuarkusMainLauncher launcher) {
        db = TestDatabase.create("repair_cmd");
        db.query("CREATE TABLE t (id int, email text)");
        db.query("CREATE TABLE t_email_idx (x int)");
        write(dir, "002_indexes.sql", "-- Transactional: false\n"
                + "CREATE INDEX CONCURRENTLY t_id_idx ON t (id);\nCREATE INDEX CONCURRENTLY t_email_idx ON t (email);\n");
        assertThat(launch(launcher, "apply-all").exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
    }

    @AfterEach
    void dropDatabase() {
        db.close();
    }

    private LaunchResult launch(QuarkusMainLauncher launcher, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--url", db.url(), "--location", dir.toString()}, 0, all, args.length, 4);
        return launcher.launch(all);
    }

    @Test
    void repairSaysWhichStatementDidNotRunThenMarkAppliedSaysNothingWasChecked(QuarkusMainLauncher launcher)
            throws Exception {
        LaunchResult resumed = launch(launcher, "repair", "2");
        assertThat(resumed.exitCode()).isEqualTo(ExitCodes.MIGRATION_FAILED);
        assertThat(resumed.getOutput()).contains("statement 2 of 2 failed again").contains("statements 2 did not run");

        assertThat(launch(launcher, "repair", "2", "--retry", "--mark-applied").exitCode()).isEqualTo(ExitCodes.USAGE);

        LaunchResult marked = launch(launcher, "repair", "2", "--mark-applied", "--json");
        assertThat(marked.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(marked.getOutput());
        assertThat(json.get("repaired").asBoolean()).isTrue();
        assertThat(json.get("checked").asBoolean()).isFalse();
        assertThat(json.get("message").asText()).contains("NOTHING WAS CHECKED").contains("statements 2 of 2 never ran");
        assertThat(db.value("SELECT kind FROM schema_migrations WHERE migration_number = 2")).isEqualTo("repaired");
    }
}
