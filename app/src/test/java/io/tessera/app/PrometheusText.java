package io.tessera.app;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) for tests: every line is a comment
 * ({@code # HELP}/{@code # TYPE}), blank, or a sample {@code name{label="value",...} value}; anything else fails.
 * Samples are keyed {@code name{a="x",b="y"}} with labels sorted, so a test can look one up by its labels.
 */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)(\\s+-?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)");

    final Map<String, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new LinkedHashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText t = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("# HELP ")) continue;
            if (line.startsWith("# TYPE ")) {
                Matcher m = TYPE.matcher(line);
                if (!m.matches()) throw new IllegalArgumentException("line " + n + ": bad TYPE: " + line);
                t.types.put(m.group(1), m.group(2));
                continue;
            }
            if (line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) throw new IllegalArgumentException("line " + n + ": not a sample: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                String rest = m.group(3);
                Matcher l = LABEL.matcher(rest);
                int end = 0;
                while (l.find()) {
                    if (l.start() != end && !rest.substring(end, l.start()).equals(",")) {
                        throw new IllegalArgumentException("line " + n + ": bad labels: " + line);
                    }
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != rest.length() && !rest.substring(end).equals(",")) {
                    throw new IllegalArgumentException("line " + n + ": bad labels: " + line);
                }
            }
            t.samples.put(key(m.group(1), labels), Double.parseDouble(m.group(4).replace("+Inf", "Infinity")));
        }
        return t;
    }

    /** The sample's value, or 0 when absent (a counter not yet incremented). */
    double value(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) l.put(labels[i], labels[i + 1]);
        return samples.getOrDefault(key(name, l), 0.0);
    }

    /** The sum over every sample of {@code name} whose labels include {@code labels}. */
    double sum(String name, String... labels) {
        double total = 0;
        outer:
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            if (!e.getKey().equals(name) && !e.getKey().startsWith(name + "{")) continue;
            for (int i = 0; i < labels.length; i += 2) {
                if (!e.getKey().contains(labels[i] + "=\"" + labels[i + 1] + "\"")) continue outer;
            }
            total += e.getValue();
        }
        return total;
    }

    private static String key(String name, Map<String, String> labels) {
        if (labels.isEmpty()) return name;
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        b.setLength(b.length() - 1);
        return b.append('}').toString();
    }
}
