package io.tessera.app;

import io.tessera.listener.StudyRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON shape of {@code GET /api/studies}: one entry per study with its state and stage timings (ms). */
record StudyView(String studyInstanceUid, String state, int version, int instances, String callingAeTitle, Instant firstReceived,
                 Instant lastReceived, Instant updated, String failureReason, Map<String, Long> stageMillis) {
    static Map<String, Object> of(List<StudyRecord> records) {
        return Map.of("studies", records.stream().map(r -> new StudyView(r.studyUid(), r.state().name(), r.version(), r.instanceCount(),
                r.callingAe(), r.firstReceived(), r.lastReceived(), r.updated(), r.failureReason().orElse(null), r.stageMillis())).toList());
    }
}
