package dev.strata.serve;

import dev.strata.db.ConnectionException;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** What the readiness checks share: their time budget and how they word a failure. */
final class Checks {

    /**
     * How long a check may take before it answers DOWN: under Fly.io's default check timeout of
     * 5 s, so a probe gets an answer however slow or busy the database is.
     */
    static final Duration TIMEOUT = Duration.ofMillis(4000);

    private Checks() {
    }

    /** The failure of a check that got no answer within {@link #TIMEOUT}. */
    static TimeoutException timedOut() {
        return new TimeoutException("no answer from the database within " + TIMEOUT.toMillis() + " ms");
    }

    /** One password-free line for a failed check. */
    static String explain(HealthTarget.Snapshot snapshot, Throwable error) {
        if (error instanceof TimeoutException) {
            return error.getMessage();
        }
        ConnectionException explained = snapshot.checks().explain(error);
        return String.valueOf(explained.getMessage());
    }
}
