package dev.starlib.auth.http.admin;

import java.util.List;
import java.util.Optional;

/**
 * One small chart of the last hour, already laid out in SVG user units by {@link TrendCharts}: the template
 * ({@code admin/charts.jte}) only draws it, as inline SVG with presentation attributes (no script, no style
 * sheet, nothing the page's content security policy would have to allow). Hovering a bar or a point shows its
 * {@code <title>}.
 *
 * @param empty what the chart says instead when the hour holds nothing to draw
 */
record Chart(String id, String title, String unit, List<Bar> bars, List<Line> lines, List<Point> points,
             List<Tick> yTicks, List<Tick> xTicks, List<Legend> legend, Optional<String> empty) {

    /** About the width a chart gets on the page, so its 10-unit text shows at 10 px. */
    static final int WIDTH = 340;
    static final int HEIGHT = 150;
    static final int LEFT = 42;
    static final int RIGHT = 8;
    static final int TOP = 10;
    static final int BOTTOM = 22;

    Chart {
        bars = List.copyOf(bars);
        lines = List.copyOf(lines);
        points = List.copyOf(points);
        yTicks = List.copyOf(yTicks);
        xTicks = List.copyOf(xTicks);
        legend = List.copyOf(legend);
    }

    int width() {
        return WIDTH;
    }

    int height() {
        return HEIGHT;
    }

    String viewBox() {
        return "0 0 " + WIDTH + " " + HEIGHT;
    }

    int plotLeft() {
        return LEFT;
    }

    int plotRight() {
        return WIDTH - RIGHT;
    }

    int plotTop() {
        return TOP;
    }

    int plotBottom() {
        return HEIGHT - BOTTOM;
    }

    int textY() {
        return HEIGHT - 6;
    }

    /** One segment of a stacked bar: one outcome in one minute. */
    record Bar(double x, double y, double width, double height, String color, String tooltip) {
    }

    /** A polyline through consecutive minutes that have a value; a minute without one breaks the line. */
    record Line(String points, String color) {
    }

    record Point(double x, double y, String color, String tooltip) {
    }

    /**
     * A label at {@code position} along an axis (y from the top, x from the left), its text anchored there at its
     * {@code anchor} ({@code start}, {@code middle} or {@code end}, as SVG's {@code text-anchor}).
     */
    record Tick(double position, String label, String anchor) {
    }

    record Legend(String color, String label) {
    }
}
