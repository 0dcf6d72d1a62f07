package dev.strata.api;

import dev.strata.db.ConnectionPool;
import dev.strata.history.SqlResources;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every kind of {@link Expect} against a real schema, met and unmet, alone and together: the query
 * sent holds only the WHEN branches of the kinds asked for, and each branch still decides as the
 * whole query did.
 */
@Tag("db")
class ExpectTest {

    static TestDatabase db;
    static ConnectionPool database;

    @BeforeAll
    static void schema() {
        db = TestDatabase.create("expect");
        db.query("""
                CREATE TABLE clients (id uuid PRIMARY KEY, name text NOT NULL, note varchar(20));
                CREATE VIEW client_names AS SELECT name FROM clients;
                CREATE INDEX clients_name_idx ON clients (name);
                ALTER TABLE clients ADD CONSTRAINT clients_name_nonempty CHECK (name <> '');
                CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
                CREATE TRIGGER clients_touch BEFORE UPDATE ON clients FOR EACH ROW EXECUTE FUNCTION touch();
                """);
        database = Engines.database(db.url());
    }

    @AfterAll
    static void drop() {
        database.close();
        db.close();
    }

    private static List<String> unmet(Expect expect) {
        try {
            database.connect().chain(c -> expect.check(c).eventually(c::close)).await().indefinitely();
            return List.of();
        } catch (VerifyException e) {
            return List.of(e.getMessage());
        }
    }

    @Test
    void everyKindHoldsOnTheSchemaThatHasIt() {
        assertThat(unmet(Expect.that().table("clients"))).isEmpty();
        assertThat(unmet(Expect.that().view("client_names"))).isEmpty();
        assertThat(unmet(Expect.that().columns("clients", "id", "name"))).isEmpty();
        assertThat(unmet(Expect.that().column("clients", "note", "character varying(20)"))).isEmpty();
        assertThat(unmet(Expect.that().notNull("clients", "name"))).isEmpty();
        assertThat(unmet(Expect.that().index("clients_name_idx"))).isEmpty();
        assertThat(unmet(Expect.that().constraint("clients", "clients_name_nonempty"))).isEmpty();
        assertThat(unmet(Expect.that().function("touch()"))).isEmpty();
        assertThat(unmet(Expect.that().trigger("clients", "clients_touch"))).isEmpty();
        assertThat(unmet(Expect.that())).as("nothing expected").isEmpty();
    }

    @Test
    void everyKindNamesWhatIsMissing() {
        assertThat(unmet(Expect.that().table("client_names"))).singleElement().asString()
                .contains("table client_names does not exist");
        assertThat(unmet(Expect.that().view("clients"))).singleElement().asString()
                .contains("view clients does not exist");
        assertThat(unmet(Expect.that().columns("clients", "email"))).singleElement().asString()
                .contains("column clients.email does not exist");
        assertThat(unmet(Expect.that().column("clients", "note", "text"))).singleElement().asString()
                .contains("column clients.note is character varying(20), expected text");
        assertThat(unmet(Expect.that().notNull("clients", "note"))).singleElement().asString()
                .contains("column clients.note is not NOT NULL");
        assertThat(unmet(Expect.that().index("clients_note_idx"))).singleElement().asString()
                .contains("index clients_note_idx does not exist");
        assertThat(unmet(Expect.that().constraint("clients", "clients_note_check"))).singleElement().asString()
                .contains("constraint clients_note_check on clients does not exist");
        assertThat(unmet(Expect.that().function("touch(integer)"))).singleElement().asString()
                .contains("function touch(integer) does not exist");
        assertThat(unmet(Expect.that().trigger("clients", "clients_audit"))).singleElement().asString()
                .contains("trigger clients_audit on clients does not exist");
    }

    @Test
    void mixedKindsReportEveryUnmetOneInOrder() {
        List<String> problems = unmet(Expect.that().table("clients").columns("clients", "email").index("nope_idx")
                .trigger("clients", "clients_touch").function("nope()"));
        assertThat(problems).singleElement().asString()
                .containsSubsequence("column clients.email does not exist", "index nope_idx does not exist",
                        "function nope() does not exist");
    }

    @Test
    void theQueryHoldsTheBranchesOfTheKindsAskedForAndAllOfThemMakeTheResource() {
        Pattern when = Pattern.compile("WHEN '([a-z_]+)' THEN");
        Set<String> all = Set.of("table", "view", "column", "column_type", "not_null", "index", "constraint",
                "function", "trigger");
        assertThat(Expect.query(all)).isEqualTo(SqlResources.get("verify_expectations.sql"));
        for (String kind : all) {
            Matcher m = when.matcher(Expect.query(Set.of(kind)));
            assertThat(m.find()).as(kind).isTrue();
            assertThat(m.group(1)).isEqualTo(kind);
            assertThat(m.find()).as("only the branch of " + kind).isFalse();
        }
        assertThat(Expect.query(Set.of("table", "index"))).contains("WHEN 'table' THEN", "WHEN 'index' THEN")
                .doesNotContain("WHEN 'column' THEN").contains("ELSE 'unknown expectation kind '");
    }
}
