package dev.strata.testing;

import dev.strata.StrataMain;

/**
 * {@link ApplyMain} with the command line's signal report installed, for tests that stop the
 * runner with SIGTERM: {@code java -cp <test classpath> dev.strata.testing.SignalledApplyMain URL DIR}.
 */
public final class SignalledApplyMain {

    private SignalledApplyMain() {
    }

    /** Applies the migrations in DIR to URL; on SIGTERM prints what happened to the running migration. */
    public static void main(String[] args) {
        StrataMain.reportInterruption();
        ApplyMain.main(args);
    }
}
