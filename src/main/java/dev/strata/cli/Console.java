package dev.strata.cli;

import java.io.PrintStream;

/** Where commands write: results to stdout, logs and progress to stderr. */
public final class Console {

    private Console() {
    }

    /** Results. */
    public static PrintStream out() {
        return System.out;
    }

    /** Logs, progress, warnings and errors. */
    static PrintStream err() {
        return System.err;
    }

    /**
     * Colour for terminal output: on only when stdout is a terminal, {@code NO_COLOR} is not set
     * (no-color.org) and {@code TERM} is not {@code dumb}.
     */
    static picocli.CommandLine.Help.Ansi ansi() {
        boolean tty = System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        boolean color = tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
        return color ? picocli.CommandLine.Help.Ansi.ON : picocli.CommandLine.Help.Ansi.OFF;
    }

    /** A progress listener that prints notes (lock waits, retries, ignored wrappers) on stderr. */
    static dev.strata.engine.ProgressListener notes() {
        return new dev.strata.engine.ProgressListener() {
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

    /**
     * Milliseconds as a human duration: {@code 412 ms} or {@code 3.2 s} (tenths rounded half up,
     * always a point: the output does not depend on the machine's locale).
     */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long tenths = (ms + 50) / 100;
        return tenths / 10 + "." + tenths % 10 + " s";
    }
}
