package io.tessera.app;

import io.tessera.listener.StudyRecord;
import io.tessera.routes.SkippedSeries;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON shape of {@code GET /api/studies}: one entry per study with its state, stage timings (ms) and the series of
 * its current version that a rule matched but skipped (a scout, a dose screen…), each with the reason.
 */
record StudyView(String studyInstanceUid, String state, int version, int instances, String callingAeTitle, Instant firstReceived,
                 Instant lastReceived, Instant updated, String failureReason, Map<String, Long> stageMillis,
                 List<Skipped> skipped) {
    /** One skipped series: {@code series} is its Series Number (as sent), {@code kind} a stable word, {@code reason} the sentence. */
    record Skipped(String series, String seriesInstanceUid, String description, String route, String kind, String reason) {
        static Skipped of(SkippedSeries s) {
            return new Skipped(s.seriesNumber(), s.seriesInstanceUid(), s.description(), s.route(), s.kind(), s.reason());
        }
    }

    static Map<String, Object> of(List<StudyRecord> records) {
        return of(records, r -> List.of());
    }

    static Map<String, Object> of(List<StudyRecord> records, Function<StudyRecord, List<SkippedSeries>> skipped) {
        return Map.of("studies", records.stream().map(r -> new StudyView(r.studyUid(), r.state().name(), r.version(), r.instanceCount(),
                r.callingAe(), r.firstReceived(), r.lastReceived(), r.updated(), r.failureReason().orElse(null), r.stageMillis(),
                skipped.apply(r).stream().map(Skipped::of).toList())).toList());
    }
}
