package dev.strata.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sqitch's layout: {@code sqitch.plan} lists the changes in deploy order with their
 * {@code [dependencies]}; {@code deploy/<change>.sql} is the migration, {@code verify/<change>.sql}
 * its verify step, {@code revert/} never runs (Sqitch docs, sqitch-changes and sqitch-plan). The
 * version of a change is its position in the plan.
 */
final class SqitchLayout implements ToolLayout {

    /** The plan file's name, at the top of the location. */
    static final String PLAN = "sqitch.plan";

    private final Map<String, Integer> positions = new HashMap<>();
    private final Map<String, List<String>> requires = new HashMap<>();
    private final List<String> problems = new ArrayList<>();

    private SqitchLayout() {
    }

    /** Reads {@code sqitch.plan} in {@code root}; its problems come back from {@link #metadataProblems()}. */
    static SqitchLayout read(Path root) {
        SqitchLayout layout = new SqitchLayout();
        Path plan = root.resolve(PLAN);
        try {
            int lineNumber = 0;
            for (String raw : Files.readAllLines(plan, StandardCharsets.UTF_8)) {
                lineNumber++;
                layout.planLine(plan + ":" + lineNumber, raw);
            }
        } catch (IOException e) {
            layout.problems.add(plan + ": cannot be read (" + e.getMessage() + "); check its permissions");
        }
        return layout;
    }

    private void planLine(String where, String raw) {
        String line = raw.replaceFirst("\\s+#.*$", "").strip();
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("%") || line.startsWith("@")) {
            return; // comments, pragmas, tags
        }
        String change = line.split("\\s+", 2)[0];
        if (positions.containsKey(change)) {
            problems.add(where + ": change " + change + " is reworked (listed twice), which Strata does not support; "
                    + "give the new version its own change name");
            return;
        }
        positions.put(change, positions.size() + 1);
        List<String> deps = new ArrayList<>();
        int open = line.indexOf('[');
        int close = line.indexOf(']');
        if (open > 0 && close > open) {
            for (String dep : line.substring(open + 1, close).trim().split("\\s+")) {
                if (dep.isEmpty() || dep.startsWith("!")) {
                    continue; // a conflict, not an order: Strata never reverts, so it cannot arise
                }
                if (dep.contains(":")) {
                    problems.add(where + ": " + change + " requires " + dep + " from another project, which Strata "
                            + "cannot check; deploy that project first and remove the cross-project dependency");
                    continue;
                }
                deps.add(dep.replaceFirst("@.*$", ""));
            }
        }
        requires.put(change, List.copyOf(deps));
    }

    @Override
    public String name() {
        return "sqitch";
    }

    @Override
    public Role classify(String relative) {
        if (relative.startsWith("deploy/")) {
            return Role.MIGRATION;
        }
        if (relative.startsWith("verify/")) {
            return Role.VERIFY;
        }
        return relative.startsWith("revert/") ? Role.NEVER_RUN : Role.UNKNOWN;
    }

    @Override
    public Named name(String relative) {
        String change = change(relative);
        Integer position = positions.get(change);
        if (position == null) {
            return Named.problem("not listed in " + PLAN + ", so Sqitch would not deploy it; add it to the plan or "
                    + "delete the file");
        }
        return new Named(MigrationVersion.parse(position.toString()), change, change.replace('_', ' '), null);
    }

    /** Without the {@code -- requires: x} lines Sqitch's templates copy from the plan, which is what Sqitch reads. */
    @Override
    public String headerText(String sql) {
        return sql.replaceAll("(?im)^[ \\t]*--[ \\t]*(?:requires|conflicts)[ \\t]*:.*$", "--");
    }

    @Override
    public String verifies(String relative) {
        return change(relative);
    }

    @Override
    public List<String> requires(String name) {
        return requires.getOrDefault(name, List.of());
    }

    @Override
    public List<String> metadataProblems() {
        return List.copyOf(problems);
    }

    @Override
    public java.util.Set<String> declared() {
        return java.util.Set.copyOf(positions.keySet());
    }

    @Override
    public String orderedBy() {
        return PLAN;
    }

    @Override
    public String unreadHint(String location) {
        return "sqitch reads deploy/<change>.sql, verify/<change>.sql and revert/<change>.sql below " + location;
    }

    private static String change(String relative) {
        String inFolder = relative.substring(relative.indexOf('/') + 1);
        return inFolder.substring(0, inFolder.length() - ".sql".length());
    }
}
