package dev.starlib.auth.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * The figures of a run: printed as they are measured, each with its target from issue 12 beside it, then once
 * more as a Markdown table (ready for docs/performance.md), and written to {@code results.tsv} (key, value, unit,
 * target, verdict) for tools. A figure that could not be measured says why instead of showing a number.
 */
final class Report {

    /** A bound from the targets list; a figure without one is context. */
    record Target(String text, DoublePredicate holds) {

        static final Target NONE = new Target("", value -> true);

        static Target atMost(double bound, String unit) {
            return new Target("≤ " + number(bound) + unit, value -> value <= bound);
        }

        static Target atLeast(double bound, String unit) {
            return new Target("≥ " + number(bound) + unit, value -> value >= bound);
        }

        static Target text(String text) {
            return new Target(text, value -> true);
        }

        boolean judged() {
            return !text.isEmpty() && !text.startsWith("(");
        }
    }

    record Figure(String key, String label, String shown, String unit, String target, String verdict) {
    }

    private final PrintStream out;
    private final List<Figure> figures = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private String tag = "";

    Report(PrintStream out) {
        this.out = out;
    }

    void header(String line) {
        out.println(line);
        out.flush();
    }

    /** @param tag names the section in the summary table, e.g. "logins, memory, 16 users" */
    void section(String title, String tag) {
        this.tag = tag;
        out.println();
        out.println(title);
        out.flush();
    }

    void note(String text) {
        out.println("    " + text);
        out.flush();
    }

    void figure(String key, String label, double value, String unit, Target target) {
        String shown = Double.isFinite(value) ? number(value) : "n/a";
        String verdict = !target.judged() || !Double.isFinite(value) ? "" : target.holds().test(value) ? "meets" : "MISSES";
        figures.add(new Figure(key, tag + ": " + label.strip(), shown, unit, target.text(), verdict));
        String targetText = target.text().isEmpty() ? "" : target.judged()
                ? "(target " + target.text() + (verdict.isEmpty() ? "" : ": " + verdict) + ")"
                : target.text();
        out.printf(Locale.ROOT, "  %-46s %12s %-7s %s%n", label, shown, unit, targetText);
        out.flush();
    }

    /** A figure this run cannot give, and why (e.g. no Redis store in this build). */
    void unavailable(String key, String label, String why) {
        figures.add(new Figure(key, tag + ": " + label.strip(), "n/a", "", why, ""));
        out.printf(Locale.ROOT, "  %-46s %12s         %s%n", label, "n/a", why);
        out.flush();
    }

    /** Something that makes the figures untrustworthy (failed logins, a rejected PKCE check): the run fails. */
    void error(String text) {
        errors.add(text);
        out.println("  ERROR: " + text);
        out.flush();
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    List<Figure> figures() {
        return List.copyOf(figures);
    }

    void summary(Path directory) throws IOException {
        StringBuilder table = new StringBuilder("| figure | measured | target | |\n|---|---:|---|---|\n");
        StringBuilder tsv = new StringBuilder("key\tvalue\tunit\ttarget\tverdict\n");
        for (Figure figure : figures) {
            table.append("| ").append(figure.label()).append(" | ").append(figure.shown()).append(' ')
                    .append(figure.unit()).append(" | ").append(figure.target()).append(" | ")
                    .append(figure.verdict()).append(" |\n");
            tsv.append(figure.key()).append('\t').append(figure.shown().replace(",", "")).append('\t')
                    .append(figure.unit()).append('\t').append(figure.target()).append('\t')
                    .append(figure.verdict()).append('\n');
        }
        out.println();
        out.println("Summary (Markdown)");
        out.println();
        out.print(table);
        if (!errors.isEmpty()) {
            out.println();
            out.println(errors.size() + " ERROR(S): the figures above are not to be trusted");
            errors.forEach(error -> out.println("  " + error));
        }
        Files.createDirectories(directory);
        Files.writeString(directory.resolve("summary.md"), table);
        Files.writeString(directory.resolve("results.tsv"), tsv);
        out.println();
        out.println("results: " + directory.resolve("results.tsv") + ", " + directory.resolve("summary.md"));
        out.flush();
    }

    /** 1,420 / 0.74 / 12.3: three significant digits at most below 100, whole numbers above. */
    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == Math.rint(value) && magnitude >= 10) {
            return String.format(Locale.ENGLISH, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ENGLISH, "%.1f", value);
        }
        return String.format(Locale.ENGLISH, "%.2f", value);
    }
}
