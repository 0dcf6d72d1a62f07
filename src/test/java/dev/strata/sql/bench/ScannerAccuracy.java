package dev.strata.sql.bench;

import dev.strata.sql.Finding;
import dev.strata.sql.SafetyScanner;
import dev.strata.sql.ScanOptions;
import dev.strata.sql.SqlScript;
import dev.strata.sql.SqlStatement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the splitter and the destructive-statement rules with the libpg_query oracle
 * ({@code ../shared/tools/pgparse}) over the shared corpus and prints the agreement figures and
 * every disagreement. Usage: {@code ScannerAccuracy CORPUS_DIR ORACLE_DIR} where ORACLE_DIR holds
 * one {@code pgparse --deep} JSON-lines file per corpus sub-directory ({@code <dir>.jsonl}).
 * Exit status 1 when a target is missed.
 */
public final class ScannerAccuracy {

    private static final String[] KINDS = {"drop-schema", "drop-database", "truncate"};
    private static final String[] TOP_FLAGS = {"isDropSchema", "isDropDatabase", "isTruncate"};
    private static final String[] NESTED_FLAGS = {"nestedDropSchema", "nestedDropDatabase", "nestedTruncate"};

    record OracleStatement(int start, int end, String type, String subType, boolean[] top, int[] nested) {
    }

    /** Other top-level rules checked against the parser's statement type (reported, not targets). */
    private static final String[] INFO_RULES = {"transaction-control", "copy-from-stdin"};

    private static boolean expectsInfoRule(int rule, OracleStatement o) {
        return rule == 0 ? o.type().equals("TransactionStmt")
                : o.type().equals("CopyStmt") && "FROM_STDIN".equals(o.subType());
    }

    record FileTruth(String file, boolean wholeParse, boolean copyData) {
    }

    public static void main(String[] args) throws IOException {
        Path corpus = Path.of(args.length > 0 ? args[0] : "../shared/corpus");
        Path oracleDir = Path.of(args.length > 1 ? args[1] : "target/pgparse-oracle");
        Map<String, FileTruth> truth = readTruth(corpus.resolve("groundtruth.jsonl"));
        Map<String, List<OracleStatement>> oracle = readOracle(oracleDir);
        SafetyScanner scanner = new SafetyScanner();

        int files = 0;
        int wholeFiles = 0;
        int wholeAgree = 0;
        int allAgree = 0;
        int[] expected = new int[3];
        int[] found = new int[3];
        int[] falsePositive = new int[3];
        int[] nestedExpected = new int[3];
        int[] nestedFound = new int[3];
        int[] nestedFalse = new int[3];
        int executeStrings = 0;
        int[] infoExpected = new int[INFO_RULES.length];
        int[] infoFound = new int[INFO_RULES.length];
        int[] infoExtra = new int[INFO_RULES.length];
        List<String> disagreements = new ArrayList<>();
        for (FileTruth t : truth.values()) {
            List<OracleStatement> want = oracle.get(t.file());
            if (want == null) {
                disagreements.add("no oracle output for " + t.file());
                continue;
            }
            files++;
            String sql = new String(Files.readAllBytes(corpus.resolve(t.file())), StandardCharsets.UTF_8);
            SqlScript script = SqlScript.parse(t.file(), sql, t.copyData());
            List<SqlStatement> got = script.statements();
            String diff = firstBoundaryDifference(sql, want, got);
            if (diff == null) {
                allAgree++;
            }
            if (t.wholeParse()) {
                wholeFiles++;
                if (diff == null) {
                    wholeAgree++;
                } else {
                    disagreements.add("split " + t.file() + ": " + diff);
                }
            } else if (diff != null) {
                disagreements.add("split (oracle parse errors) " + t.file() + ": " + diff);
            }

            int[] lineStarts = lineStarts(sql);
            List<Finding> findings = scanner.scan(script, ScanOptions.defaults());
            for (int r = 0; r < INFO_RULES.length; r++) {
                java.util.Set<Integer> at = new java.util.HashSet<>();
                for (Finding f : findings) {
                    if (f.ruleId().equals(INFO_RULES[r])) {
                        at.add(lineStarts[f.line() - 1] + f.column() - 1);
                    }
                }
                for (int s = 0; s < want.size(); s++) {
                    OracleStatement o = want.get(s);
                    boolean wrapper = script.hasTransactionWrapper()
                            && (s == 0 || s == want.size() - 1) && r == 0;
                    boolean expect = expectsInfoRule(r, o) && !wrapper;
                    boolean mine = at.contains(o.start());
                    if (expect) {
                        infoExpected[r]++;
                        if (mine) {
                            infoFound[r]++;
                        } else {
                            disagreements.add("info: missed " + INFO_RULES[r] + " " + t.file() + " @" + o.start() + " " + snippet(sql, o.start()));
                        }
                    } else if (mine) {
                        infoExtra[r]++;
                        disagreements.add("info: extra " + INFO_RULES[r] + " " + t.file() + " @" + o.start() + " "
                                + snippet(sql, o.start()) + " (oracle: " + o.type() + ")");
                    }
                }
            }
            int[][] mineTop = new int[want.size()][3];
            int[][] mineNested = new int[want.size()][3];
            for (Finding f : findings) {
                int kind = indexOf(f.ruleId());
                if (kind < 0) {
                    continue;
                }
                int offset = lineStarts[f.line() - 1] + f.column() - 1;
                if (f.message().contains("EXECUTE")) {
                    executeStrings++; // the oracle does not look inside EXECUTE strings
                    continue;
                }
                int s = statementAt(want, offset);
                if (s < 0) {
                    falsePositive[kind]++;
                    disagreements.add("extra " + KINDS[kind] + " " + t.file() + ":" + f.line() + ":" + f.column()
                            + " (outside any oracle statement)");
                } else if (want.get(s).start() == offset) {
                    mineTop[s][kind]++;
                } else {
                    mineNested[s][kind]++;
                }
            }
            for (int s = 0; s < want.size(); s++) {
                OracleStatement o = want.get(s);
                for (int k = 0; k < 3; k++) {
                    if (o.top()[k]) {
                        expected[k]++;
                        if (mineTop[s][k] > 0) {
                            found[k]++;
                        } else {
                            disagreements.add("missed " + KINDS[k] + " " + t.file() + " @" + o.start() + " "
                                    + snippet(sql, o.start()));
                        }
                    } else if (mineTop[s][k] > 0) {
                        falsePositive[k] += mineTop[s][k];
                        disagreements.add("extra " + KINDS[k] + " " + t.file() + " @" + o.start() + " "
                                + snippet(sql, o.start()) + " (oracle: " + o.type() + ")");
                    }
                    nestedExpected[k] += o.nested()[k];
                    nestedFound[k] += Math.min(o.nested()[k], mineNested[s][k]);
                    if (mineNested[s][k] < o.nested()[k]) {
                        disagreements.add("missed nested " + KINDS[k] + " " + t.file() + " @" + o.start() + " "
                                + snippet(sql, o.start()) + " (" + mineNested[s][k] + "/" + o.nested()[k] + ")");
                    } else if (mineNested[s][k] > o.nested()[k]) {
                        nestedFalse[k] += mineNested[s][k] - o.nested()[k];
                        disagreements.add("extra nested " + KINDS[k] + " " + t.file() + " @" + o.start() + " "
                                + snippet(sql, o.start()) + " (" + mineNested[s][k] + "/" + o.nested()[k] + ")");
                    }
                }
            }
        }

        disagreements.forEach(d -> System.out.println("  " + d));
        double wholePct = wholeFiles == 0 ? 100 : 100.0 * wholeAgree / wholeFiles;
        System.out.printf(Locale.ROOT, "files: %d (oracle parses %d whole)%n", files, wholeFiles);
        System.out.printf(Locale.ROOT, "statement boundaries identical: %d/%d = %.2f %% of whole-parse files (target >= 99.5 %%); %d/%d of all files%n",
                wholeAgree, wholeFiles, wholePct, allAgree, files);
        boolean ok = wholePct >= 99.5;
        for (int k = 0; k < 3; k++) {
            System.out.printf(Locale.ROOT, "%-14s top-level found %d/%d, extra %d; nested found %d/%d, extra %d%n",
                    KINDS[k], found[k], expected[k], falsePositive[k], nestedFound[k], nestedExpected[k], nestedFalse[k]);
            ok &= found[k] == expected[k] && falsePositive[k] == 0 && nestedFound[k] == nestedExpected[k] && nestedFalse[k] == 0;
        }
        for (int r = 0; r < INFO_RULES.length; r++) {
            System.out.printf(Locale.ROOT, "info: %-20s found %d/%d, extra %d (vs the parser's statement type)%n",
                    INFO_RULES[r], infoFound[r], infoExpected[r], infoExtra[r]);
        }
        System.out.printf(Locale.ROOT, "findings inside EXECUTE strings (not counted by the oracle): %d%n", executeStrings);
        System.out.println(ok ? "RESULT: all targets met" : "RESULT: targets missed");
        System.exit(ok ? 0 : 1);
    }

    private static String firstBoundaryDifference(String sql, List<OracleStatement> want, List<SqlStatement> got) {
        int n = Math.min(want.size(), got.size());
        for (int i = 0; i < n; i++) {
            OracleStatement w = want.get(i);
            SqlStatement g = got.get(i);
            if (w.start() != g.start() || w.end() != g.end()) {
                return "statement " + i + " oracle [" + w.start() + "," + w.end() + ") " + snippet(sql, w.start())
                        + " vs ours [" + g.start() + "," + g.end() + ") " + snippet(sql, g.start());
            }
        }
        if (want.size() != got.size()) {
            return "oracle " + want.size() + " statements, ours " + got.size()
                    + (n < got.size() ? ", next of ours: " + snippet(sql, got.get(n).start()) : "")
                    + (n < want.size() ? ", next of oracle: " + snippet(sql, want.get(n).start()) : "");
        }
        return null;
    }

    private static int statementAt(List<OracleStatement> want, int offset) {
        int lo = 0;
        int hi = want.size() - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (want.get(mid).start() <= offset) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best >= 0 && offset < Math.max(want.get(best).end(), want.get(best).start() + 1) ? best : -1;
    }

    private static int indexOf(String rule) {
        for (int k = 0; k < 3; k++) {
            if (KINDS[k].equals(rule)) {
                return k;
            }
        }
        return -1;
    }

    private static String snippet(String sql, int at) {
        String s = sql.substring(Math.max(0, Math.min(at, sql.length())), Math.min(sql.length(), at + 50));
        return "\"" + s.replace("\n", "\\n") + "\"";
    }

    private static int[] lineStarts(String sql) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= sql.length() || sql.charAt(i + 1) != '\n'))) {
                starts.add(i + 1);
            }
        }
        int bom = !sql.isEmpty() && sql.charAt(0) == '\uFEFF' ? 1 : 0;
        int[] a = new int[starts.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = starts.get(i) + (i == 0 ? bom : 0);
        }
        return a;
    }

    private static Map<String, FileTruth> readTruth(Path file) throws IOException {
        Map<String, FileTruth> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            String name = str(line, "file");
            boolean whole = line.contains("\"wholeFileParse\":{\"ok\":true");
            boolean copy = !"none".equals(str(line, "copyDataMode"));
            m.put(name, new FileTruth(name, whole, copy));
        }
        return m;
    }

    private static Map<String, List<OracleStatement>> readOracle(Path dir) throws IOException {
        Map<String, List<OracleStatement>> m = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jsonl"))::iterator) {
                for (String line : Files.readAllLines(p)) {
                    if (!line.startsWith("{") || line.contains("\"fatal\"")) {
                        continue;
                    }
                    boolean[] top = new boolean[3];
                    int[] nested = new int[3];
                    for (int k = 0; k < 3; k++) {
                        top[k] = line.contains("\"" + TOP_FLAGS[k] + "\":true");
                        String n = raw(line, NESTED_FLAGS[k]);
                        nested[k] = n == null ? 0 : Integer.parseInt(n);
                    }
                    m.computeIfAbsent(str(line, "file"), f -> new ArrayList<>()).add(new OracleStatement(
                            Integer.parseInt(raw(line, "startChar")), Integer.parseInt(raw(line, "endChar")),
                            str(line, "stmtType"), str(line, "subType"), top, nested));
                }
            }
        }
        return m;
    }

    private static String str(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static String raw(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":(-?\\d+)").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
