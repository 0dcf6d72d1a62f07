package dev.strata.sql.bench;

import dev.strata.sql.SafetyScanner;
import dev.strata.sql.ScanOptions;
import dev.strata.sql.SqlScript;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Single-threaded throughput of lex + split + safety rules over every {@code .sql} file under a
 * directory (default {@code ../shared/corpus}), in MB/s of UTF-8 input (1 MB = 10^6 bytes), after
 * a warm-up; reports the median pass by thread CPU time (robust when other processes share the
 * machine) and by wall clock. Usage: {@code ScannerBench [DIR] [PASSES]}.
 */
public final class ScannerBench {

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/corpus");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> names = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".sql")).sorted()::iterator) {
                byte[] b = Files.readAllBytes(p);
                bytes += b.length;
                names.add(p.toString());
                texts.add(new String(b, StandardCharsets.UTF_8));
            }
        }
        SafetyScanner scanner = new SafetyScanner();
        ScanOptions options = ScanOptions.defaults();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sink = 0;
        // warm up until the JIT has settled: at least 5 passes and 4 s of CPU time
        long warmStart = threads.getCurrentThreadCpuTime();
        for (int w = 0; w < 5 || threads.getCurrentThreadCpuTime() - warmStart < 4_000_000_000L; w++) {
            sink += pass(names, texts, scanner, options, true);
        }
        double[] cpu = new double[passes];
        double[] wall = new double[passes];
        double[] splitCpu = new double[passes];
        for (int i = 0; i < passes; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            sink += pass(names, texts, scanner, options, true);
            wall[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
            c0 = threads.getCurrentThreadCpuTime();
            sink += pass(names, texts, scanner, options, false);
            splitCpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        }
        double mb = bytes / 1e6;
        System.out.printf(Locale.ROOT, "corpus: %d files, %.2f MB; %d timed passes after warm-up, 1 thread%n",
                texts.size(), mb, passes);
        System.out.printf(Locale.ROOT, "lex+split+rules: median %.1f MB/s (thread CPU time), median %.1f MB/s (wall clock)%n",
                mb / median(cpu), mb / median(wall));
        System.out.printf(Locale.ROOT, "lex+split only:  median %.1f MB/s (thread CPU time)%n", mb / median(splitCpu));
        System.out.println("(checksum " + sink + ")");
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long pass(List<String> names, List<String> texts, SafetyScanner scanner, ScanOptions options,
            boolean rules) {
        long n = 0;
        for (int i = 0; i < texts.size(); i++) {
            SqlScript script = SqlScript.parse(names.get(i), texts.get(i));
            n += script.statements().size();
            if (rules) {
                n += scanner.scan(script, options).size();
            }
        }
        return n;
    }
}
