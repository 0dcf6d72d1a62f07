package dev.strata.sql;

import java.util.Arrays;

/** Maps char offsets to 1-based line:column; LF, CRLF and a lone CR each end a line. */
final class LineIndex {

    private final int[] lineStarts;
    private final int lineCount;
    private final boolean bom;

    LineIndex(String s) {
        int[] starts = new int[64];
        int count = 1;
        int n = s.length();
        boolean carriageReturns = s.indexOf('\r') >= 0;
        if (!carriageReturns) {
            // String.indexOf is vectorised; most files use plain LF line ends
            for (int i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) {
                if (count == starts.length) {
                    starts = Arrays.copyOf(starts, count * 2);
                }
                starts[count++] = i + 1;
            }
        } else {
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= n || s.charAt(i + 1) != '\n'))) {
                    if (count == starts.length) {
                        starts = Arrays.copyOf(starts, count * 2);
                    }
                    starts[count++] = i + 1;
                }
            }
        }
        this.lineStarts = starts;
        this.lineCount = count;
        this.bom = n > 0 && s.charAt(0) == '\uFEFF';
    }

    SourcePosition positionOf(int offset) {
        int lo = 0;
        int hi = lineCount - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int column = offset - lineStarts[lo] + 1;
        if (lo == 0 && bom && offset > 0) {
            column--; // editors do not show the byte-order mark as a column
        }
        return new SourcePosition(lo + 1, column);
    }
}
