package dev.strata.engine;

import java.util.List;

/**
 * The schema history disagrees with the catalog (exit code 1): an applied file changed, a
 * migration failed part-way earlier, or the database records migrations the catalog lacks.
 * Raised after taking the lock and before running anything.
 */
public class HistoryConflictException extends RuntimeException {

    private final List<String> problems;
    private final String summary;

    /** @param problems one line each, naming the file and what to do */
    public HistoryConflictException(List<String> problems) {
        this(problems, "refusing to apply: the schema history disagrees with the migration files ("
                + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ").");
    }

    /**
     * @param problems one line each
     * @param summary  the one line printed last, saying what was refused and why
     */
    public HistoryConflictException(List<String> problems, String summary) {
        super(String.join("\n", problems) + "\n" + summary);
        this.problems = List.copyOf(problems);
        this.summary = summary;
    }

    /** The problems, one line each. */
    public List<String> problems() {
        return problems;
    }

    /** The one-line summary printed after the problems. */
    public String summary() {
        return summary;
    }
}
