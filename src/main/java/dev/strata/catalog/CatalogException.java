package dev.strata.catalog;

import java.util.List;

/**
 * The catalog is inconsistent (exit code 2): unpaired, duplicate, malformed or unreadable files,
 * unknown dependencies or a cycle. Raised before any database contact.
 */
public class CatalogException extends RuntimeException {

    private final List<String> problems;

    /** @param problems one line each, naming the file(s) and what to do */
    public CatalogException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : problems.size() + " problems in the migration catalog:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one line each. */
    public List<String> problems() {
        return problems;
    }
}
