package io.tessera.listener;

import io.tessera.core.JobState;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A study as the index knows it. {@code stageMillis} maps stage name to duration for the current version, in the
 * order the stages started.
 */
public record StudyRecord(String studyUid, JobState state, int version, String callingAe, int instanceCount,
                          Instant firstReceived, Instant lastReceived, Optional<String> failureReason,
                          Instant updated, Map<String, Long> stageMillis) {
}
