package io.tessera.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * Enforces {@code maxStudyBytes}: an instance is reserved against its study's total before it is stored, and the
 * reservation is returned if storing fails. A study first seen since start is seeded from what the index already
 * holds, so a restart does not reset the limit. A duplicate instance counts again (conservative).
 */
final class StudyBudget {
    /** Beyond this many tracked studies the table is dropped and re-seeded on demand. */
    private static final int MAX_TRACKED = 10_000;

    private final long maxBytes;
    private final ToLongFunction<String> alreadyStored;
    private final Map<String, AtomicLong> used = new ConcurrentHashMap<>();

    StudyBudget(long maxBytes, ToLongFunction<String> alreadyStored) {
        this.maxBytes = maxBytes;
        this.alreadyStored = alreadyStored;
    }

    boolean enabled() {
        return maxBytes > 0;
    }

    long maxBytes() {
        return maxBytes;
    }

    /** True and counted if {@code bytes} more still fit the study; false (nothing counted) if not. */
    boolean tryReserve(String studyUid, long bytes) {
        if (!enabled()) {
            return true;
        }
        if (used.size() > MAX_TRACKED) {
            used.clear();
        }
        AtomicLong total = used.computeIfAbsent(studyUid, uid -> new AtomicLong(alreadyStored.applyAsLong(uid)));
        while (true) {
            long now = total.get();
            if (now + bytes > maxBytes) {
                return false;
            }
            if (total.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(String studyUid, long bytes) {
        AtomicLong total = used.get(studyUid);
        if (total != null) {
            total.addAndGet(-bytes);
        }
    }
}
