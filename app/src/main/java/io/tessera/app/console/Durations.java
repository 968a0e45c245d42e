package io.tessera.app.console;

import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Short human durations for tables: {@code 850 ms}, {@code 12 s}, {@code 3 min 4 s}, {@code 2 h 5 min}, {@code 3 d 1 h}. */
final class Durations {
    private Durations() {}

    static String of(Duration d) {
        long ms = Math.max(0, d.toMillis());
        if (ms < 1000) return ms + " ms";
        long s = ms / 1000;
        if (s < 60) return s + " s";
        if (s < 3600) return s / 60 + " min " + s % 60 + " s";
        if (s < 86400) return s / 3600 + " h " + s % 3600 / 60 + " min";
        return s / 86400 + " d " + s % 86400 / 3600 + " h";
    }

    /** Stage timings in the order the stages ran: {@code receive 1 s, segment 850 ms}. */
    static String stages(Map<String, Long> millis) {
        return millis.entrySet().stream().map(e -> e.getKey() + " " + of(Duration.ofMillis(e.getValue())))
                .collect(Collectors.joining(", "));
    }
}
