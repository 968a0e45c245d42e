package io.tessera.listener;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where a C-STORE's time goes, summed over all instances when the system property {@code tessera.listener.timing}
 * is {@code true} (the ingest benchmark sets it); otherwise every call is a branch on a constant. Printed once at
 * {@link DicomListener#stop}.
 */
final class IngestTiming {
    static final boolean ON = Boolean.getBoolean("tessera.listener.timing");

    /**
     * The *_BACKGROUND phases run on the spool's filer thread after the acknowledgement; STREAM_WRITE (data fragments
     * written to the log as they arrive) is part of RECEIVE.
     */
    enum Phase { RECEIVE, STREAM_WRITE, HEADER, WAL_WRITE, WAL_FORCE, FILE, RESPOND, FILE_BACKGROUND, INDEX_BACKGROUND }

    private static final LongAdder[] NANOS = new LongAdder[Phase.values().length];
    private static final LongAdder INSTANCES = new LongAdder();

    static {
        for (int i = 0; i < NANOS.length; i++) {
            NANOS[i] = new LongAdder();
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IngestTiming.class);

    private IngestTiming() {
    }

    /** Logs (INFO, this class's logger) and resets the sums, if timing is on. */
    static void report() {
        String s = drain();
        if (s != null) {
            log.info("TSR-0291: ingest timing {}", s);
        }
    }

    static long start() {
        return ON ? System.nanoTime() : 0;
    }

    /** Adds the time since {@code t0} to the phase; returns now, to chain phases. */
    static long add(Phase phase, long t0) {
        if (!ON) {
            return 0;
        }
        long now = System.nanoTime();
        NANOS[phase.ordinal()].add(now - t0);
        return now;
    }

    static void instance() {
        if (ON) {
            INSTANCES.increment();
        }
    }

    /** Mean milliseconds per instance by phase, then resets; null when timing is off or nothing was stored. */
    static String drain() {
        long n = INSTANCES.sumThenReset();
        if (!ON || n == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder("per instance (" + n + "), mean ms:");
        for (Phase p : Phase.values()) {
            sb.append(String.format(java.util.Locale.ROOT, " %s %.3f", p.name().toLowerCase(java.util.Locale.ROOT),
                    NANOS[p.ordinal()].sumThenReset() / 1e6 / n));
        }
        return sb.toString();
    }
}
