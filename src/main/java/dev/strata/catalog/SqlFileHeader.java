package dev.strata.catalog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Metadata of an SQL-only migration, read from the {@code --} comment lines at the top of the file:
 *
 * <pre>
 * -- Description: add invoices
 * -- Dependencies: 7, 10          (or "none"; also accepted: "Depends on:", "Requires:")
 * -- Transactional: false         (run outside a transaction, statement by statement)
 * -- Allow: truncate  staging table is rebuilt on every deploy
 * </pre>
 *
 * Other tools' markers also make a migration non-transactional: dbmate's
 * {@code -- migrate:up transaction:false}, goose's {@code -- +goose NO TRANSACTION}, sqlx's
 * {@code -- no-transaction} (first line) and postgres-migrations'
 * {@code -- postgres-migrations disable-transaction}.
 *
 * @param description  the description, or null when the header has none
 * @param dependencies migration numbers, ascending
 * @param transactional false when the header says so
 * @param allowances   rule id to reason
 */
public record SqlFileHeader(String description, List<Long> dependencies, boolean transactional,
                            Map<String, String> allowances) {

    private static final Pattern KEY_VALUE = Pattern.compile("--\\s*([A-Za-z][A-Za-z -]*?)\\s*:\\s*(.*)");

    /**
     * Parses the header; appends a problem naming {@code file:line} for each bad value.
     *
     * @return the header, or null when a value was bad
     */
    public static SqlFileHeader parse(String file, String sql, List<String> problems) {
        String description = null;
        List<Long> dependencies = new ArrayList<>();
        boolean transactional = true;
        Map<String, String> allowances = new LinkedHashMap<>();
        int problemCount = problems.size();
        int lineNumber = 0;
        for (String raw : sql.lines().toList()) {
            lineNumber++;
            String line = raw.replace("\uFEFF", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("--")) {
                break;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.matches("--\\s*migrate:up\\b.*transaction:false.*")
                    || lower.matches("--\\s*\\+goose\\s+no\\s+transaction\\s*")
                    || lower.equals("-- no-transaction")
                    || lower.matches("--\\s*postgres-migrations\\s+disable-transaction\\s*")) {
                transactional = false;
                continue;
            }
            Matcher m = KEY_VALUE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String key = m.group(1).toLowerCase(Locale.ROOT).replace('-', ' ');
            String value = m.group(2).strip();
            switch (key) {
                case "description" -> description = value.isEmpty() ? null : value;
                case "dependencies", "depends on", "depends", "requires" -> {
                    if (value.isEmpty() || value.equalsIgnoreCase("none") || value.equals("-")) {
                        continue;
                    }
                    for (String token : value.split("[,\\s]+")) {
                        if (token.isEmpty()) {
                            continue;
                        }
                        if (!token.matches("\\d{1,18}")) {
                            problems.add(file + ":" + lineNumber + ": " + m.group(1) + ": '" + token
                                    + "' is not a migration number; write numbers separated by commas, e.g. 7, 10");
                        } else if (!dependencies.contains(Long.parseLong(token))) {
                            dependencies.add(Long.parseLong(token));
                        }
                    }
                }
                case "transactional" -> {
                    if (value.equalsIgnoreCase("false") || value.equalsIgnoreCase("no")) {
                        transactional = false;
                    } else if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("yes")) {
                        problems.add(file + ":" + lineNumber + ": Transactional: '" + value + "' must be true or false");
                    }
                }
                case "allow" -> {
                    String[] parts = value.split("\\s+", 2);
                    if (parts.length < 2 || parts[1].isBlank()) {
                        problems.add(file + ":" + lineNumber + ": Allow: give the rule and a reason, e.g. "
                                + "'-- Allow: truncate staging table is rebuilt on every deploy'");
                    } else {
                        allowances.put(parts[0].toLowerCase(Locale.ROOT), parts[1].strip());
                    }
                }
                default -> { }
            }
        }
        if (problems.size() > problemCount) {
            return null;
        }
        dependencies.sort(Long::compare);
        return new SqlFileHeader(description, List.copyOf(dependencies), transactional, Map.copyOf(allowances));
    }
}
