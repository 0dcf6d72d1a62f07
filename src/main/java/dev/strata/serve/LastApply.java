package dev.strata.serve;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last {@code POST /migrations/apply} this {@code serve} process ran, for the status page; kept
 * in memory only (a restart forgets it; the schema history keeps what was applied).
 */
@ApplicationScoped
public class LastApply {

    /**
     * One apply over HTTP.
     *
     * @param startedAt  when it started (this machine's clock)
     * @param totalMs    wall time, ms, waiting for the lock included
     * @param outcome    {@code applied}, {@code up-to-date} or {@code failed}
     * @param migrations the migrations it applied, in order (empty when up to date or failed first)
     * @param error      for a failed apply, the error's message (password-free), else null
     */
    public record Run(OffsetDateTime startedAt, long totalMs, String outcome, List<String> migrations, String error) {
    }

    private final AtomicReference<Run> last = new AtomicReference<>();

    /** Records the apply that just ended. */
    public void record(Run run) {
        last.set(run);
    }

    /** The last apply over HTTP since this process started, if any. */
    public Optional<Run> get() {
        return Optional.ofNullable(last.get());
    }
}
