package dev.strata.catalog;

import dev.strata.sql.FlywayTransactionDetection;
import dev.strata.sql.FlywayTransactionDetection.Verdict;
import dev.strata.sql.SqlScript;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How Flyway decides that a {@code V…__} file without {@code executeInTransaction} in its
 * {@code .sql.conf} runs outside a transaction: when one of its statements cannot run in one
 * ({@link FlywayTransactionDetection}). A file mixing such statements with transactional ones is
 * refused, as Flyway refuses it ("Detected both transactional and non-transactional statements
 * within the same migration"), unless the project sets {@code mixed}: {@code flyway.mixed=true} in
 * a {@code flyway.conf}, or {@code mixed = true} in a {@code flyway.toml}, in the location or the
 * folder above it (Flyway docs, "Configuration", mixed). A mixed file then runs statement by
 * statement, outside a transaction, as Flyway runs it.
 */
final class FlywayTransactions {

    private FlywayTransactions() {
    }

    /** Whether the Flyway project around {@code location} allows mixing; a malformed value is appended to {@code problems}. */
    static boolean mixedAllowed(Path location, List<String> problems) {
        List<Path> folders = new ArrayList<>();
        folders.add(location);
        if (location.toAbsolutePath().getParent() != null) {
            folders.add(location.toAbsolutePath().getParent());
        }
        for (Path folder : folders) {
            Boolean conf = FileNameLayout.setting(folder.resolve("flyway.conf"), "flyway.mixed", problems);
            Boolean toml = FileNameLayout.setting(folder.resolve("flyway.toml"), "mixed", problems);
            if (conf != null || toml != null) {
                return Boolean.TRUE.equals(conf) || Boolean.TRUE.equals(toml);
            }
        }
        return false;
    }

    /**
     * True when Flyway would run {@code executableSql} (the file {@code display}) in a transaction.
     *
     * @param mixed    the project's {@code mixed} setting
     * @param problems where a refused mix is appended, naming file:line:column of the statement
     *                 Flyway names and what to do
     */
    static boolean transactional(String display, String executableSql, boolean mixed, List<String> problems) {
        List<Verdict> verdicts = FlywayTransactionDetection.verdicts(SqlScript.parse(display, executableSql));
        Verdict firstTransactional = null;
        Verdict firstNon = null;
        for (Verdict v : verdicts) {
            if (v.canExecuteInTransaction()) {
                firstTransactional = firstTransactional == null ? v : firstTransactional;
            } else {
                firstNon = firstNon == null ? v : firstNon;
            }
            if (firstTransactional != null && firstNon != null && !mixed) {
                Verdict offending = v;
                problems.add(display + ":" + offending.statement().position() + ": Flyway refuses this migration: it mixes "
                        + "transactional and non-transactional statements (" + firstNon.words() + " at line "
                        + firstNon.statement().position().line() + ", a transactional statement at line "
                        + firstTransactional.statement().position().line() + "); move the non-transactional "
                        + "statements to a migration of their own, or set executeInTransaction=false in "
                        + Path.of(display).getFileName() + ".conf, or mixed = true in flyway.toml (flyway.mixed=true in flyway.conf)");
                return true;
            }
        }
        return firstNon == null;
    }
}
