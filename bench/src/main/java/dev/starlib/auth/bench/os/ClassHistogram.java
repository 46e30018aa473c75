package dev.starlib.auth.bench.os;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live objects of a JVM by class, from {@code jcmd <pid> GC.class_histogram}, which runs a full GC first: so
 * its total is the live heap, whatever collector the JVM uses. Two of them taken around some work tell what that
 * work left on the heap, class by class.
 */
public record ClassHistogram(Map<String, Entry> byClass, long totalBytes, long totalInstances) {

    public record Entry(String className, long instances, long bytes) {
    }

    /** "   1:       1000000       56000000  java.lang.String (java.base@25)" */
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$");

    public static ClassHistogram of(long pid) {
        return parse(Jcmd.run(pid, "GC.class_histogram"));
    }

    static ClassHistogram parse(String output) {
        Map<String, Entry> rows = new HashMap<>();
        long bytes = -1;
        long instances = -1;
        for (String line : output.lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                Entry entry = new Entry(row.group(3), Long.parseLong(row.group(1)), Long.parseLong(row.group(2)));
                rows.merge(entry.className(), entry, (a, b) ->
                        new Entry(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
                continue;
            }
            Matcher total = TOTAL.matcher(line);
            if (total.matches()) {
                instances = Long.parseLong(total.group(1));
                bytes = Long.parseLong(total.group(2));
            }
        }
        if (bytes < 0) {
            throw new IllegalStateException("not a class histogram:\n" + output.lines().limit(5).toList());
        }
        return new ClassHistogram(Map.copyOf(rows), bytes, instances);
    }

    /** The classes that grew most from {@code before} to this one, by bytes. */
    public List<Entry> growthSince(ClassHistogram before, int limit) {
        return byClass.values().stream()
                .map(entry -> {
                    Entry old = before.byClass.get(entry.className());
                    return old == null ? entry : new Entry(entry.className(), entry.instances() - old.instances(),
                            entry.bytes() - old.bytes());
                })
                .sorted(Comparator.comparingLong(Entry::bytes).reversed())
                .limit(limit)
                .toList();
    }
}
