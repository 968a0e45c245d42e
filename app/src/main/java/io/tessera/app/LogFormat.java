package io.tessera.app;

import java.util.Locale;

/**
 * Chooses the log format before the first logger exists: {@code TESSERA_LOG_FORMAT=json} gives one JSON object a line
 * (for log shippers), unset or {@code text} the usual lines. Set as the system property {@code logback.xml} reads, so
 * an unknown value cannot leave the root logger without an appender: it falls back to text and says so.
 */
final class LogFormat {
    static final String PROPERTY = "tessera.log.appender";

    private LogFormat() {
    }

    static void choose(String env) {
        String v = env == null ? "" : env.trim().toLowerCase(Locale.ROOT);
        if (System.getProperty(PROPERTY) != null) return;   // set on the command line
        System.setProperty(PROPERTY, v.equals("json") ? "json" : "text");
        if (!v.isEmpty() && !v.equals("json") && !v.equals("text")) {
            System.err.println("TSR-0840: TESSERA_LOG_FORMAT=" + env.replaceAll("[^A-Za-z0-9_-]", "?")
                    + " is neither text nor json; logging as text");
        }
    }
}
