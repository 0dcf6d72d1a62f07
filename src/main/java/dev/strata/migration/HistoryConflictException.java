package dev.strata.migration;

import java.util.List;

/**
 * The schema history disagrees with the catalog (exit code 1): an applied file changed, a
 * migration failed part-way earlier, or the database records migrations the catalog lacks.
 * Raised after taking the lock and before running anything.
 */
public class HistoryConflictException extends RuntimeException {

    private final List<String> problems;

    /** @param problems one line each, naming the file and what to do */
    public HistoryConflictException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one line each. */
    public List<String> problems() {
        return problems;
    }
}
