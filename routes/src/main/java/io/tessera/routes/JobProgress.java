package io.tessera.routes;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each running study is doing now, for the console: the model, the stage of its job (load, infer, encode,
 * ground, fhir, outbox), since when, and during inference how many of its sliding windows have run. In memory only:
 * it describes this node's work at this moment; the index has the states and timings that outlive it.
 */
public final class JobProgress {
    /** A study's job at this moment; {@code total} 0 outside inference. */
    public record Now(String model, String stage, Instant since, int done, int total) {}

    private final Map<String, Now> running = new ConcurrentHashMap<>();
    private final Clock clock;

    public JobProgress(Clock clock) {
        this.clock = clock;
    }

    void stage(String studyUid, String model, String stage) {
        running.put(studyUid, new Now(model, stage, clock.instant(), 0, 0));
    }

    void windows(String studyUid, int done, int total) {
        running.computeIfPresent(studyUid, (k, n) -> new Now(n.model(), n.stage(), n.since(), done, total));
    }

    void finished(String studyUid) {
        running.remove(studyUid);
    }

    public Optional<Now> of(String studyUid) {
        return Optional.ofNullable(running.get(studyUid));
    }
}
