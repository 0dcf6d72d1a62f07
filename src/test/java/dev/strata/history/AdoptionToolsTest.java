package dev.strata.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.strata.catalog.Catalog;
import dev.strata.catalog.CatalogLoader;
import dev.strata.catalog.CatalogMigration;
import dev.strata.db.ConnectionPool;
import dev.strata.engine.ApplyOptions;
import dev.strata.engine.ApplyResult;
import dev.strata.engine.HistoryConflictException;
import dev.strata.engine.ProgressListener;
import dev.strata.engine.StatusReport;
import dev.strata.testing.Engines;
import dev.strata.testing.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each other tool's history table adopted in place, on the layout fixtures of
 * {@code src/test/resources/layouts/}: the tool applied the first migrations (dbmate and Sqitch
 * themselves; golang-migrate, goose, sqlx, Prisma and Diesel, which are Go/Rust/engine binaries not
 * to be had here, through their table created and written exactly as the tool's source does, quoted
 * at each), then Strata adopts them, applies only the newer files, a re-run applies nothing, and the
 * other tool's table is unchanged; plus each tool's refusals (a dirty or failed row, a file edited
 * since, a row naming no file) with nothing recorded.
 */
@Tag("db")
class AdoptionToolsTest {

    @TempDir
    Path dir;
    TestDatabase db;
    ConnectionPool database;

    @BeforeEach
    void setUp() {
        db = TestDatabase.create("adopttools");
        database = Engines.database(db.url());
    }

    @AfterEach
    void tearDown() {
        database.close();
        db.close();
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Path fixture(String name) {
        try {
            return Path.of(AdoptionToolsTest.class.getClassLoader().getResource("layouts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the fixture's files whose relative path passes {@code keep} into the temp dir. */
    private void copy(String name, java.util.function.Predicate<String> keep) throws IOException {
        Path from = fixture(name);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String relative = from.relativize(f).toString();
                if (keep.test(relative)) {
                    Path target = dir.resolve(relative);
                    Files.createDirectories(target.getParent());
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private Catalog catalog() {
        return CatalogLoader.fromLocations(List.of(dir), "auto", false);
    }

    private ApplyResult strataApply() {
        return Engines.migrator(catalog(), database).applyAll(ApplyOptions.defaults(), ProgressListener.NONE)
                .await().indefinitely();
    }

    private StatusReport strataStatus() {
        return Engines.migrator(catalog(), database).status().await().indefinitely();
    }

    private static List<String> names(ApplyResult result) {
        return result.applied().stream().map(s -> s.migration().name()).toList();
    }

    /** Runs the first {@code n} migrations of the catalog as the tool would (their executable part). */
    private void toolRuns(int n) {
        List<CatalogMigration> plan = catalog().migrations();
        for (int i = 0; i < n; i++) {
            db.query(plan.get(i).executableSql());
        }
    }

    /** The other tool's table as a value: its columns and every row, to show Strata left it alone. */
    private String snapshot(String table) {
        return String.join("\n", db.query("SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute"
                + " WHERE attrelid = '" + table + "'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                + "\n" + String.join("\n", db.query("SELECT row_to_json(t)::text FROM " + table + " t ORDER BY 1"));
    }

    /** History tables of every tool and of Strata, and what comes with them: not the schema under test. */
    private static final String HISTORY = "^(strata_)?schema_migrations|^goose_db_version|^_sqlx_migrations"
            + "|^_prisma_migrations|^__diesel_schema_migrations|^flyway_schema_history";

    /** The schema of the database: relations with their columns, index and constraint definitions, functions. */
    private static List<String> schemaOf(TestDatabase database) {
        return database.query("SELECT x FROM ("
                + " SELECT c.relkind::text || ' ' || n.nspname || '.' || c.relname || ' ' || CASE WHEN c.relkind = 'i'"
                + "   THEN pg_get_indexdef(c.oid) ELSE coalesce((SELECT string_agg(a.attname || ':'"
                + "   || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
                + "   || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)"
                + "   FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + "   WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') END AS x"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'sqitch') AND n.nspname NOT LIKE 'pg_toast%'"
                + "   AND c.relname !~ '" + HISTORY + "'"
                + " UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid)"
                + " FROM pg_constraint WHERE connamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN"
                + "   ('pg_catalog', 'information_schema', 'sqitch')) AND conrelid::regclass::text !~ '" + HISTORY + "'"
                + " UNION ALL SELECT 'function ' || p.oid::regprocedure || ' ' || md5(p.prosrc) FROM pg_proc p"
                + " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'sqitch')"
                + ") s ORDER BY x");
    }

    /** The schema of a fresh database on which {@code fullRun} ran every migration: the reference. */
    private static List<String> reference(java.util.function.Consumer<TestDatabase> fullRun) {
        try (TestDatabase ref = TestDatabase.create("adoptref")) {
            fullRun.accept(ref);
            List<String> schema = schemaOf(ref);
            assertThat(schema).isNotEmpty();
            return schema;
        }
    }

    /** psql's run of every migration of the catalog (their executable part), in plan order. */
    private java.util.function.Consumer<TestDatabase> everyFile() {
        List<CatalogMigration> plan = catalog().migrations();
        return ref -> plan.forEach(m -> ref.query(m.executableSql()));
    }

    private List<String> strataRows(String table) {
        return db.query("SELECT migration_name || ' ' || kind FROM " + table + " ORDER BY id");
    }

    /** An SQL literal of {@code path}'s text (dollar-quoted). */
    private String literal(Path path) throws IOException {
        String text = Files.readString(path);
        assertThat(text).doesNotContain("$strata_f$");
        return "$strata_f$" + text + "$strata_f$";
    }

    private HistoryConflictException refused() {
        HistoryConflictException e = catchThrowableOfType(HistoryConflictException.class, this::strataApply);
        assertThat(e).as("Strata refuses to adopt").isNotNull();
        return e;
    }

    /** A tool's binary, found on the PATH; skipped when missing locally, a failure under CI=true. */
    private static String tool(String name) {
        for (String part : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(part, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(name + " is not installed (.ci/run installs it); CI must not skip this test");
        }
        Assumptions.abort(name + " is not installed");
        return null;
    }

    private static void run(Path workDir, java.util.Map<String, String> env, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(String.join(" ", command) + " said:\n" + output).isZero();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String hostPortDb(TestDatabase target) {
        URI url = URI.create(target.url());
        return url.getHost() + ":" + url.getPort() + url.getPath();
    }

    private static String user(TestDatabase target) {
        return URI.create(target.url()).getUserInfo().split(":", 2)[0];
    }

    // ---- golang-migrate ---------------------------------------------------------------------

    /**
     * golang-migrate's table, as its Postgres driver creates and writes it (golang-migrate/migrate,
     * database/postgres/postgres.go: ensureVersionTable "CREATE TABLE IF NOT EXISTS ... (version bigint
     * not null primary key, dirty boolean not null)", SetVersion: TRUNCATE, then one row).
     */
    private void golangMigrateAt(long version, boolean dirty) {
        db.query("CREATE TABLE IF NOT EXISTS \"public\".\"schema_migrations\" (version bigint not null primary key,"
                + " dirty boolean not null)");
        db.query("BEGIN; TRUNCATE \"public\".\"schema_migrations\"; INSERT INTO \"public\".\"schema_migrations\""
                + " (version, dirty) VALUES (" + version + ", " + dirty + "); COMMIT");
    }

    @Test
    void golangMigrateHistoryIsAdoptedAndStrataKeepsItsOwnTableBesideIt() throws IOException {
        copy("golang-migrate", f -> true);
        toolRuns(2);
        golangMigrateAt(2, false);
        String before = snapshot("schema_migrations");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("10_orders");
        assertThat(schemaOf(db)).isEqualTo(reference(everyFile()));
        assertThat(strataRows(HistoryTable.ALTERNATIVE)).containsExactly("1_init adopted-golang-migrate",
                "2_add_email adopted-golang-migrate", "10_orders applied");
        assertThat(snapshot("schema_migrations")).isEqualTo(before);
        assertThat(names(strataApply())).isEmpty();
        StatusReport status = strataStatus();
        assertThat(status.historyTable()).isEqualTo(HistoryTable.ALTERNATIVE);
        assertThat(status.appliedCount()).isEqualTo(3);
        assertThat(snapshot("schema_migrations")).isEqualTo(before);
    }

    @Test
    void golangMigrateDirtyVersionIsRefusedByName() throws IOException {
        copy("golang-migrate", f -> true);
        toolRuns(2);
        golangMigrateAt(2, true);
        String before = snapshot("schema_migrations");

        assertThat(refused().getMessage()).contains("schema_migrations (golang-migrate) version 2 is dirty")
                .contains("migrate force 2");

        assertThat(db.value("SELECT count(*) FROM " + HistoryTable.ALTERNATIVE)).isEqualTo("0");
        assertThat(db.value("SELECT to_regclass('gm_orders')")).isNull();
        assertThat(snapshot("schema_migrations")).isEqualTo(before);
    }

    // ---- dbmate (the real tool, from npm) ---------------------------------------------------

    private void dbmateUp() {
        dbmateUp(db);
    }

    private void dbmateUp(TestDatabase target) {
        run(dir, java.util.Map.of(), tool("dbmate"), "--url", "postgres://" + user(target) + "@" + hostPortDb(target)
                + "?sslmode=disable", "--migrations-dir", dir.toString(), "--no-dump-schema", "up");
    }

    @Test
    void dbmateHistoryIsAdoptedAndTheNewerFileApplied() throws Exception {
        copy("dbmate", f -> f.startsWith("20151127184807_"));
        dbmateUp();
        copy("dbmate", f -> true);
        String before = snapshot("schema_migrations");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("20151127185000_index_email");
        assertThat(schemaOf(db)).isEqualTo(reference(ref -> dbmateUp(ref)));
        assertThat(strataRows(HistoryTable.ALTERNATIVE)).containsExactly("20151127184807_create_users adopted-dbmate",
                "20151127185000_index_email applied");
        assertThat(names(strataApply())).isEmpty();
        assertThat(snapshot("schema_migrations")).isEqualTo(before);
        assertThat(strataStatus().historyTable()).isEqualTo(HistoryTable.ALTERNATIVE);
    }

    @Test
    void dbmateRowNamingNoFileIsRefusedByName() throws Exception {
        copy("dbmate", f -> f.startsWith("20151127184807_"));
        dbmateUp();
        Files.delete(dir.resolve("20151127184807_create_users.sql"));
        copy("dbmate", f -> f.startsWith("20151127185000_"));

        assertThat(refused().getMessage()).contains("schema_migrations (dbmate) version 20151127184807 names no migration");
        assertThat(db.value("SELECT count(*) FROM " + HistoryTable.ALTERNATIVE)).isEqualTo("0");
    }

    // ---- goose ------------------------------------------------------------------------------

    /**
     * goose's table as its Postgres dialect creates it, and the rows it writes (pressly/goose,
     * internal/dialect/dialectquery/postgres.go: CreateTable, InsertVersion; version 0 is written first).
     */
    private void gooseTable() {
        db.query("CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied boolean NOT NULL,"
                + " tstamp timestamp NULL default now(), PRIMARY KEY(id))");
        db.query("INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)");
    }

    @Test
    void gooseHistoryIsAdoptedTheLatestRowPerVersionDeciding() throws IOException {
        copy("goose", f -> true);
        toolRuns(2);
        gooseTable();
        // goose up to 3, then goose down once: version 3 is applied no more (and its down part dropped nothing here)
        db.query("INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true), (2, true), (3, true), (3, false)");
        String before = snapshot("goose_db_version");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("00003_index_email");
        assertThat(schemaOf(db)).isEqualTo(reference(everyFile()));
        assertThat(strataRows(HistoryTable.DEFAULT)).containsExactly("00001_create_users adopted-goose",
                "00002_touch_function adopted-goose", "00003_index_email applied");
        assertThat(names(strataApply())).isEmpty();
        assertThat(snapshot("goose_db_version")).isEqualTo(before);
        assertThat(strataStatus().adoptions()).singleElement().satisfies(a -> {
            assertThat(a.tool()).isEqualTo("goose");
            assertThat(a.table()).isEqualTo("goose_db_version");
            assertThat(a.count()).isEqualTo(2);
            assertThat(a.at()).isNotNull();
        });
    }

    @Test
    void gooseVersionNamingNoFileIsRefusedByName() throws IOException {
        copy("goose", f -> true);
        toolRuns(2);
        gooseTable();
        db.query("INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true), (2, true), (7, true)");

        assertThat(refused().getMessage()).contains("goose_db_version id 4 (version 7) names no migration");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    // ---- sqlx -------------------------------------------------------------------------------

    /**
     * sqlx's table and row as its Postgres driver writes them (launchbadge/sqlx,
     * sqlx-postgres/src/migrate.rs: ensure_migrations_table, execute_migration), the checksum
     * computed by PostgreSQL's sha384() over the file, as sqlx-core/src/migrate/migration.rs does.
     */
    private void sqlxApplied(String file, long version, String description, boolean success) throws IOException {
        db.query("CREATE TABLE IF NOT EXISTS _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,"
                + " installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL,"
                + " execution_time BIGINT NOT NULL)");
        db.query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ("
                + version + ", '" + description + "', " + success + ", sha384(convert_to(" + literal(dir.resolve(file))
                + ", 'UTF8')), 4200000)");
    }

    @Test
    void sqlxHistoryIsAdoptedWithItsChecksumChecked() throws IOException {
        copy("sqlx", f -> true);
        toolRuns(1);
        sqlxApplied("20210101000000_users.sql", 20210101000000L, "users", true);
        String before = snapshot("_sqlx_migrations");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("20210102000000_index_email");
        assertThat(schemaOf(db)).isEqualTo(reference(everyFile()));
        assertThat(strataRows(HistoryTable.DEFAULT)).containsExactly("20210101000000_users adopted-sqlx",
                "20210102000000_index_email applied");
        assertThat(db.value("SELECT execution_time_ms FROM schema_migrations WHERE kind = 'adopted-sqlx'")).isEqualTo("4");
        assertThat(names(strataApply())).isEmpty();
        assertThat(snapshot("_sqlx_migrations")).isEqualTo(before);
    }

    @Test
    void sqlxFileEditedSinceIsCaughtByItsChecksum() throws IOException {
        copy("sqlx", f -> true);
        toolRuns(1);
        sqlxApplied("20210101000000_users.sql", 20210101000000L, "users", true);
        Files.writeString(dir.resolve("20210101000000_users.sql"), "-- Add users\nCREATE TABLE sx_users (id int PRIMARY KEY);\n");

        assertThat(refused().getMessage()).contains(dir.resolve("20210101000000_users.sql") + " changed since sqlx applied it")
                .contains("SHA-384");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void sqlxFailedRowIsRefusedByName() throws IOException {
        copy("sqlx", f -> true);
        toolRuns(1);
        sqlxApplied("20210101000000_users.sql", 20210101000000L, "users", false);

        assertThat(refused().getMessage()).contains("_sqlx_migrations version 20210101000000 (users) is not successful");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    // ---- Prisma -----------------------------------------------------------------------------

    /**
     * Prisma's table as {@code prisma migrate deploy} leaves it on PostgreSQL (its columns and types
     * as pg_dump shows them on Prisma databases; prisma-engines' Postgres flavour creates it), and
     * a row as Prisma writes one: checksum the SHA-256 hex of migration.sql, computed here by
     * PostgreSQL's sha256().
     */
    private void prismaRow(String id, String name, boolean finished, String rolledBack) throws IOException {
        db.query("CREATE TABLE IF NOT EXISTS \"_prisma_migrations\" (\"id\" VARCHAR(36) NOT NULL, \"checksum\" VARCHAR(64)"
                + " NOT NULL, \"finished_at\" TIMESTAMPTZ, \"migration_name\" VARCHAR(255) NOT NULL, \"logs\" TEXT,"
                + " \"rolled_back_at\" TIMESTAMPTZ, \"started_at\" TIMESTAMPTZ NOT NULL DEFAULT now(),"
                + " \"applied_steps_count\" INTEGER NOT NULL DEFAULT 0, CONSTRAINT \"_prisma_migrations_pkey\" PRIMARY KEY (\"id\"))");
        db.query("INSERT INTO \"_prisma_migrations\" (id, checksum, finished_at, migration_name, logs, rolled_back_at,"
                + " started_at, applied_steps_count) VALUES ('" + id + "', encode(sha256(convert_to("
                + literal(dir.resolve(name).resolve("migration.sql")) + ", 'UTF8')), 'hex'), "
                + (finished ? "now()" : "NULL") + ", '" + name + "', " + (finished ? "NULL" : "'Database error code: 42P07'")
                + ", " + (rolledBack == null ? "NULL" : rolledBack) + ", now() - interval '1 minute', " + (finished ? 1 : 0) + ")");
    }

    @Test
    void prismaHistoryIsAdoptedWithItsChecksumChecked() throws IOException {
        copy("prisma", f -> true);
        toolRuns(1);
        prismaRow("0b3c7f6e-0000-4000-8000-000000000001", "20210101000000_init", true, null);
        String before = snapshot("_prisma_migrations");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("20210202000000_add_posts");
        assertThat(schemaOf(db)).isEqualTo(reference(everyFile()));
        assertThat(strataRows(HistoryTable.DEFAULT)).containsExactly("20210101000000_init adopted-prisma",
                "20210202000000_add_posts applied");
        assertThat(names(strataApply())).isEmpty();
        assertThat(snapshot("_prisma_migrations")).isEqualTo(before);
    }

    @Test
    void prismaFileEditedSinceIsCaughtByItsChecksum() throws IOException {
        copy("prisma", f -> true);
        toolRuns(1);
        prismaRow("0b3c7f6e-0000-4000-8000-000000000001", "20210101000000_init", true, null);
        Path file = dir.resolve("20210101000000_init/migration.sql");
        Files.writeString(file, Files.readString(file) + "\n-- edited\n");

        assertThat(refused().getMessage()).contains(file + " changed since Prisma applied it").contains("SHA-256");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void prismaUnfinishedAndRolledBackRowsAreRefusedByName() throws IOException {
        copy("prisma", f -> true);
        toolRuns(1);
        prismaRow("0b3c7f6e-0000-4000-8000-000000000001", "20210101000000_init", true, null);
        prismaRow("0b3c7f6e-0000-4000-8000-000000000002", "20210202000000_add_posts", false, null);

        assertThat(refused().getMessage()).contains("_prisma_migrations id 0b3c7f6e-0000-4000-8000-000000000002"
                + " (20210202000000_add_posts, started").contains("did not finish (Database error code: 42P07)");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");

        db.query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '20210202000000_add_posts'");
        assertThat(refused().getMessage()).contains("20210202000000_add_posts was rolled back");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    // ---- Diesel -----------------------------------------------------------------------------

    /**
     * Diesel's table as diesel_migrations creates it (diesel-rs/diesel,
     * diesel_migrations/src/migration/setup_migration_table.sql), a row per applied version, the
     * folder name's prefix without its dashes.
     */
    private void dieselApplied(String... versions) {
        db.query("CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL,"
                + " run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)");
        for (String v : versions) {
            db.query("INSERT INTO __diesel_schema_migrations (version) VALUES ('" + v + "')");
        }
    }

    @Test
    void dieselHistoryIsAdoptedAndTheNewerFolderApplied() throws IOException {
        copy("diesel", f -> true);
        toolRuns(2);
        dieselApplied("00000000000000", "20171230120000");
        String before = snapshot("__diesel_schema_migrations");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("2018-01-01-000000_index_email");
        assertThat(schemaOf(db)).isEqualTo(reference(everyFile()));
        assertThat(strataRows(HistoryTable.DEFAULT)).containsExactly("00000000000000_diesel_initial_setup adopted-diesel",
                "2017-12-30-120000_create_users adopted-diesel", "2018-01-01-000000_index_email applied");
        assertThat(names(strataApply())).isEmpty();
        assertThat(snapshot("__diesel_schema_migrations")).isEqualTo(before);
    }

    @Test
    void dieselVersionNamingNoFolderIsRefusedByName() throws IOException {
        copy("diesel", f -> true);
        toolRuns(2);
        dieselApplied("00000000000000", "20171230120000", "20190101000000");

        assertThat(refused().getMessage()).contains("__diesel_schema_migrations version 20190101000000 names no migration");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    // ---- Sqitch (the real tool, from Debian) ------------------------------------------------

    private void sqitchDeploy(String to) {
        sqitchDeploy(db, to);
    }

    private void sqitchDeploy(TestDatabase target, String to) {
        run(dir, java.util.Map.of("SQITCH_FULLNAME", "Strata Test", "SQITCH_EMAIL", "strata@example.com"),
                tool("sqitch"), "deploy", "--to", to, "db:pg://" + user(target) + "@" + hostPortDb(target));
    }

    @Test
    void sqitchRegistryIsAdoptedWithItsScriptHashChecked() throws Exception {
        copy("sqitch", f -> true);
        sqitchDeploy("users");
        String before = snapshot("sqitch.changes") + snapshot("sqitch.events");

        ApplyResult first = strataApply();

        assertThat(names(first)).containsExactly("flips");
        assertThat(schemaOf(db)).isEqualTo(reference(ref -> sqitchDeploy(ref, "@HEAD")));
        assertThat(strataRows(HistoryTable.DEFAULT)).containsExactly("appschema adopted-sqitch", "users adopted-sqitch",
                "flips applied");
        assertThat(names(strataApply())).isEmpty();
        assertThat(snapshot("sqitch.changes") + snapshot("sqitch.events")).isEqualTo(before);
    }

    @Test
    void sqitchDeployScriptEditedSinceIsCaughtByItsScriptHash() throws Exception {
        copy("sqitch", f -> true);
        sqitchDeploy("users");
        Path file = dir.resolve("deploy/users.sql");
        Files.writeString(file, Files.readString(file).replace("NOT NULL DEFAULT NOW()", "NOT NULL"));

        assertThat(refused().getMessage()).contains(file + " changed since Sqitch deployed it").contains("script_hash");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
    }

    @Test
    void anotherToolsTableThanTheLayoutsIsRefusedNotGuessed() throws IOException {
        copy("goose", f -> true);
        sqlxApplied("00001_create_users.sql", 1, "create users", true);

        assertThat(refused().getMessage()).contains("the database has the schema history of _sqlx_migrations (sqlx),"
                + " not goose_db_version of goose").contains("--layout");
        assertThat(db.value("SELECT count(*) FROM schema_migrations")).isEqualTo("0");
        assertThat(db.value("SELECT to_regclass('gs_users')")).isNull();
    }

    // ---- the history table's name ----------------------------------------------------------

    @Test
    void twoStrataHistoriesAreRefusedNamingBoth() throws IOException {
        copy("goose", f -> true);
        strataApply();
        db.query("CREATE TABLE strata_schema_migrations (LIKE schema_migrations INCLUDING ALL)");

        HistoryConflictException e = catchThrowableOfType(HistoryConflictException.class, this::strataStatus);

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("both schema_migrations and strata_schema_migrations hold a Strata schema history")
                .contains("--history-table");
    }

    @Test
    void anExplicitHistoryTableIsUsedByEveryCommand() throws IOException {
        copy("goose", f -> true);
        var migrator = Engines.migrator(catalog(), database).historyTable("app_strata_history");

        assertThat(migrator.applyAll(ApplyOptions.defaults(), ProgressListener.NONE).await().indefinitely().applied())
                .hasSize(3);

        assertThat(db.value("SELECT to_regclass('schema_migrations')")).isNull();
        assertThat(strataRows("app_strata_history")).hasSize(3);
        StatusReport status = Engines.migrator(catalog(), database).historyTable("app_strata_history").status()
                .await().indefinitely();
        assertThat(status.historyTable()).isEqualTo("app_strata_history");
        assertThat(status.appliedCount()).isEqualTo(3);
    }

    @Test
    void historyTableNamesThatCannotGoIntoSqlAreRefused() {
        assertThat(HistoryTable.problem("app.strata_history")).isNull();
        assertThat(HistoryTable.problem("x; DROP TABLE users")).contains("not an unquoted lower-case identifier");
        assertThat(HistoryTable.problem("Strata")).isNotNull();
        assertThat(HistoryTable.sql("history_select.sql", "other_history")).contains("FROM other_history")
                .doesNotContain("schema_migrations");
    }
}
