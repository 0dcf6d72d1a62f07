package dev.strata.cli;

import java.io.PrintStream;

/** Where commands write: results to stdout, logs and progress to stderr. */
final class Console {

    private Console() {
    }

    /** Results. */
    static PrintStream out() {
        return System.out;
    }

    /** Logs, progress, warnings and errors. */
    static PrintStream err() {
        return System.err;
    }

    /** A progress listener that prints notes (lock waits, retries, ignored wrappers) on stderr. */
    static dev.strata.migration.ProgressListener notes() {
        return new dev.strata.migration.ProgressListener() {
            @Override
            public void note(String message) {
                err().println("strata: " + message);
            }
        };
    }

    /** Pads {@code text} with dots to {@code width}, for aligned per-migration lines. */
    static String dots(String text, int width) {
        StringBuilder b = new StringBuilder(text).append(' ');
        while (b.length() < width) {
            b.append('.');
        }
        return b.toString();
    }

    /** Milliseconds as a human duration: {@code 412 ms} or {@code 3.2 s}. */
    static String duration(long ms) {
        return ms < 1000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
    }
}
