package io.tessera.config;

import java.time.Duration;
import java.util.regex.Matcher;

/** Reads {@code 500ms}, {@code 3s}, {@code 2m}, {@code 1h}, ISO-8601 ({@code PT3S}) or plain seconds. */
final class DurationParser {
    private static final java.util.regex.Pattern SIMPLE = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private DurationParser() {}

    static Duration parse(String text) {
        String t = text.trim();
        if (t.toUpperCase().startsWith("P")) return Duration.parse(t.toUpperCase());
        Matcher m = SIMPLE.matcher(t);
        if (!m.matches()) throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 3s, 2m, 1h)");
        double v = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double ms = switch (unit) {
            case "ms" -> v;
            case "m" -> v * 60_000;
            case "h" -> v * 3_600_000;
            default -> v * 1000;
        };
        return Duration.ofMillis(Math.round(ms));
    }
}
