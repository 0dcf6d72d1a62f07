package dev.strata.serve;

import dev.strata.catalog.CatalogMigration;
import dev.strata.engine.FleetSummary;
import dev.strata.engine.MigrationState;
import dev.strata.engine.TargetResult;
import dev.strata.history.AppliedMigration;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Writes the status page as one HTML document: its style and script inline under a per-response
 * CSP nonce (no external asset, no build chain), the graph as inline SVG, and every text that comes
 * from files or the database HTML-escaped ({@link #escape}).
 */
final class StatusHtml {

    private static final String CSS = resource("status-page.css");
    private static final String SCRIPT = resource("status-page.js");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'");

    /** The counts shown, in this order; baseline only when there are baseline rows. */
    private static final List<MigrationState> COUNTED = List.of(MigrationState.APPLIED, MigrationState.PENDING,
            MigrationState.CHANGED, MigrationState.FAILED, MigrationState.UNKNOWN);

    private StatusHtml() {
    }

    /** The page for {@code view}; {@code nonce} must be the one in this response's CSP header. */
    static String page(StatusView view, String nonce) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Strata · ").append(escape(view.database())).append("</title>\n")
                .append("<style nonce=\"").append(nonce).append("\">\n").append(CSS).append("</style>\n</head>\n")
                .append("<body data-fingerprint=\"").append(view.fingerprint()).append("\">\n");
        header(h, view);
        h.append("<main>\n");
        view.error().ifPresent(e -> h.append("<p class=\"alert\" role=\"alert\" id=\"error\">Cannot read the schema history: ")
                .append(escape(e)).append(". The graph below shows the files alone.</p>\n"));
        counts(h, view);
        lastRun(h, view);
        view.fleet().ifPresent(f -> fleet(h, f));
        graph(h, view);
        table(h, view);
        h.append("</main>\n<script nonce=\"").append(nonce).append("\">\n").append(SCRIPT).append("</script>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    /** The page a browser sees without the token: a form that posts it to {@code /session}. */
    static String login(String nonce, boolean wrong) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>Strata · sign in</title>\n<style nonce=\"" + nonce + "\">\n" + CSS + "</style>\n</head>\n"
                + "<body>\n<main class=\"login\">\n<h1>Strata status</h1>\n"
                + (wrong ? "<p class=\"alert\" role=\"alert\">That is not the token.</p>\n" : "")
                + "<p>This page needs the admin token (<code>STRATA_ADMIN_TOKEN</code>).</p>\n"
                + "<form method=\"post\" action=\"/session\">\n<label for=\"token\">Token</label>\n"
                + "<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required>\n"
                + "<button type=\"submit\">Open</button>\n</form>\n</main>\n</body>\n</html>\n";
    }

    /** The 403 page (no token configured and not a direct request from a private address). */
    static String forbidden(String nonce) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Strata · forbidden</title>\n"
                + "<style nonce=\"" + nonce + "\">\n" + CSS + "</style>\n</head>\n<body>\n<main class=\"login\">\n"
                + "<h1>Forbidden</h1>\n<p>Without <code>STRATA_ADMIN_TOKEN</code>, the status page answers only direct "
                + "requests from loopback or private addresses (e.g. Fly.io's private network, <code>fly proxy</code>), "
                + "never requests through a proxy. Set the token to open it from elsewhere.</p>\n</main>\n</body>\n</html>\n";
    }

    /** The page when not even the catalog could be loaded (the message is password-free). */
    static String failure(String nonce, String message) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Strata · error</title>\n"
                + "<style nonce=\"" + nonce + "\">\n" + CSS + "</style>\n</head>\n<body>\n<main class=\"login\">\n"
                + "<h1>Strata cannot show the status</h1>\n<p class=\"alert\" role=\"alert\">" + escape(message)
                + "</p>\n<p>See <code>strata validate</code> and the server's log.</p>\n</main>\n</body>\n</html>\n";
    }

    private static void header(StringBuilder h, StatusView view) {
        h.append("<header>\n<h1>Strata <span class=\"verdict ").append(view.verdict()).append("\" id=\"verdict\">")
                .append(escape(view.verdictText())).append("</span></h1>\n<p class=\"where\"><span id=\"database\">")
                .append(escape(view.database())).append("</span> · <span id=\"location\">")
                .append(escape(view.location())).append("</span> · ").append(view.catalogSize())
                .append(" migrations</p>\n<p class=\"refreshed\">Read at ").append(time(view.generatedAt()))
                .append(" · <span id=\"refreshed\">refreshes every 10 s</span>")
                .append(" <span id=\"refresh-error\" class=\"refresh-error\" hidden></span></p>\n</header>\n");
    }

    private static void counts(StringBuilder h, StatusView view) {
        h.append("<section id=\"counts\" class=\"counts\" aria-label=\"counts\">\n");
        for (MigrationState s : COUNTED) {
            count(h, s.label(), view.report().map(r -> s == MigrationState.APPLIED ? r.count(MigrationState.APPLIED)
                    : r.count(s)));
        }
        view.report().filter(r -> r.count(MigrationState.BASELINE) > 0)
                .ifPresent(r -> count(h, MigrationState.BASELINE.label(), Optional.of(r.count(MigrationState.BASELINE))));
        h.append("</section>\n");
    }

    private static void count(StringBuilder h, String label, Optional<Integer> n) {
        h.append("<div class=\"count ").append(label).append("\" data-state=\"").append(label).append("\">")
                .append("<span class=\"n\">").append(n.map(String::valueOf).orElse("?")).append("</span>")
                .append("<span class=\"label\">").append(label).append("</span></div>\n");
    }

    private static void lastRun(StringBuilder h, StatusView view) {
        h.append("<section id=\"last-run\" class=\"panel\">\n<h2>Last run</h2>\n<dl>\n");
        Optional<AppliedMigration> row = view.lastRecorded();
        if (row.isPresent()) {
            AppliedMigration r = row.get();
            h.append("<dt>Last recorded in the schema history</dt>\n<dd id=\"last-recorded\"><strong>")
                    .append(escape(r.name())).append("</strong>, ").append(escape(outcome(r))).append(" at ")
                    .append(time(r.executedAt())).append(r.executionTimeMs() == null ? ""
                            : ", took " + r.executionTimeMs() + " ms")
                    .append(r.installedBy() == null ? "" : ", by " + escape(r.installedBy()))
                    .append(r.error() == null ? "" : "<br><span class=\"failure\">" + escape(r.error()) + "</span>")
                    .append("</dd>\n");
        } else {
            h.append("<dt>Schema history</dt>\n<dd id=\"last-recorded\">")
                    .append(view.report().isPresent() ? "no migration recorded yet" : "not readable").append("</dd>\n");
        }
        Optional<LastApply.Run> apply = view.lastApply();
        h.append("<dt>Last apply through this server</dt>\n<dd id=\"last-apply\">");
        if (apply.isPresent()) {
            LastApply.Run a = apply.get();
            h.append("<strong>").append(escape(a.outcome())).append("</strong>, started ").append(time(a.startedAt()))
                    .append(", took ").append(a.totalMs()).append(" ms");
            if (!a.migrations().isEmpty()) {
                h.append(": ").append(a.migrations().stream().map(StatusHtml::escape).collect(Collectors.joining(", ")));
            }
            if (a.error() != null) {
                h.append("<br><span class=\"failure\">").append(escape(a.error())).append("</span>");
            }
        } else {
            h.append("none since this server started (<code>POST /migrations/apply</code>)");
        }
        h.append("</dd>\n</dl>\n</section>\n");
    }

    private static String outcome(AppliedMigration r) {
        if (!r.success()) {
            return "failed";
        }
        return r.kind() == null ? "applied" : r.kind();
    }

    private static void fleet(StringBuilder h, FleetStatus.View f) {
        FleetSummary s = f.summary();
        h.append("<section id=\"fleet\" class=\"panel\">\n<h2>Fleet <span class=\"sub\">")
                .append(s.total()).append(" targets: ").append(s.count(TargetResult.Outcome.UP_TO_DATE)).append(" up to date, ")
                .append(s.count(TargetResult.Outcome.PENDING)).append(" pending, ")
                .append(s.count(TargetResult.Outcome.FAILED)).append(" failed · read at ").append(time(f.checkedAt()))
                .append("</span></h2>\n<table>\n<thead><tr><th>Target</th><th>State</th><th>Detail</th><th>ms</th></tr></thead>\n<tbody>\n");
        for (TargetResult r : f.results()) {
            String state = r.outcome().label().replace(' ', '-');
            h.append("<tr data-target=\"").append(escape(r.name())).append("\" data-state=\"").append(state).append("\">")
                    .append("<td>").append(escape(r.name())).append("</td><td><span class=\"state ").append(state)
                    .append("\">").append(escape(r.outcome().label())).append("</span></td><td>").append(escape(r.detail()))
                    .append("</td><td class=\"num\">").append(r.ms()).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void graph(StringBuilder h, StatusView view) {
        h.append("<section id=\"graph\" class=\"panel\">\n<h2>Migration graph <span class=\"sub\">plan order, top to bottom; ")
                .append("an arrow points from a dependency to its dependent; the next apply-all's migrations have a thick border")
                .append("</span></h2>\n<div class=\"legend\">");
        for (MigrationState s : MigrationState.values()) {
            h.append("<span class=\"state ").append(s.label()).append("\">").append(s.label()).append("</span>");
        }
        h.append("</div>\n<figure id=\"graph-picture\" data-drawn-by=\"").append(view.picture().drawnBy()).append("\">\n")
                .append(view.picture().svg()).append("\n<figcaption>drawn by ")
                .append("graphviz".equals(view.picture().drawnBy()) ? "Graphviz (dot)"
                        : "Strata's own layout (Graphviz's dot is not on the PATH)")
                .append("</figcaption>\n</figure>\n</section>\n");
    }

    private static void table(StringBuilder h, StatusView view) {
        h.append("<section id=\"migrations\" class=\"panel\">\n<h2>Migrations</h2>\n<table>\n<thead><tr>")
                .append("<th>Migration</th><th>Description</th><th>Depends on</th><th>State</th><th>Recorded</th>")
                .append("<th>ms</th></tr></thead>\n<tbody>\n");
        for (StatusView.Row row : view.rows()) {
            String state = row.state().map(MigrationState::label).orElse("unread");
            h.append("<tr data-number=\"").append(row.number()).append("\" data-name=\"").append(escape(row.name()))
                    .append("\" data-state=\"").append(state).append("\">")
                    .append("<td class=\"name\">").append(escape(row.name())).append("</td>")
                    .append("<td>").append(escape(row.description())).append("</td>")
                    .append("<td>").append(escape(row.dependencies().stream().map(CatalogMigration::format)
                            .collect(Collectors.joining(", ")))).append("</td>")
                    .append("<td><span class=\"state ").append(state).append("\">").append(state)
                    .append(row.nextStep() > 0 ? " · next " + row.nextStep() : "").append("</span></td>")
                    .append("<td class=\"when\">").append(row.applied().map(a -> time(a.executedAt())).orElse("")).append("</td>")
                    .append("<td class=\"num\">").append(row.applied().map(AppliedMigration::executionTimeMs)
                            .map(String::valueOf).orElse("")).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    /** A time as {@code 2026-12-02 07:40:12 UTC}; empty for null. */
    static String time(OffsetDateTime t) {
        return t == null ? "" : TIME.format(t.withOffsetSameInstant(ZoneOffset.UTC));
    }

    /**
     * Text made safe for HTML element content and quoted attribute values (and for SVG/XML):
     * {@code & < > " '} become character references (HTML Standard, "Serializing HTML fragments";
     * OWASP XSS Prevention Cheat Sheet, rule 1 and 2). Null becomes the empty string.
     */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String name) {
        try (InputStream in = StatusHtml.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/strata/serve/" + name + " in the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
