package dev.strata.report;

import dev.strata.sql.Finding;
import dev.strata.sql.Severity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints scanner findings as text lines or as JSON. */
public final class FindingsReport {

    private FindingsReport() {
    }

    /** Errors among the findings. */
    public static long errors(List<Finding> findings) {
        return findings.stream().filter(f -> f.severity() == Severity.ERROR).count();
    }

    /** The JSON shape: {@code {"errors":n,"warnings":n,"findings":[{file,line,column,severity,rule,message,hint}]}}. */
    public static Map<String, Object> toJson(List<Finding> findings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("errors", errors(findings));
        json.put("warnings", findings.size() - errors(findings));
        json.put("findings", findings.stream().map(f -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("file", f.file());
            item.put("line", f.line());
            item.put("column", f.column());
            item.put("severity", f.severity().name().toLowerCase(java.util.Locale.ROOT));
            item.put("rule", f.ruleId());
            item.put("message", f.message());
            item.put("hint", f.hint());
            return item;
        }).toList());
        return json;
    }

    /** One summary line, e.g. {@code 2 errors, 1 warning in 8 files}. */
    public static String summary(List<Finding> findings, int files) {
        long errors = errors(findings);
        long warnings = findings.size() - errors;
        return errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s")
                + " in " + files + " file" + (files == 1 ? "" : "s");
    }
}
