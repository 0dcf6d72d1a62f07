package dev.strata.api;

import java.util.List;

/** Thrown (as a failed {@code Uni}) when a migration's verify step finds its effect missing. */
public class VerifyException extends RuntimeException {

    private final List<String> missing;

    /** @param missing one line per expectation that did not hold, e.g. {@code "table clients does not exist"} */
    public VerifyException(List<String> missing) {
        super(String.join("; ", missing));
        this.missing = List.copyOf(missing);
    }

    /** Creates the exception for a single unmet expectation. */
    public VerifyException(String message) {
        this(List.of(message));
    }

    /** The unmet expectations, one line each. */
    public List<String> missing() {
        return missing;
    }
}
