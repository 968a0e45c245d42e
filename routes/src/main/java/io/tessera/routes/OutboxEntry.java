package io.tessera.routes;

import java.time.Instant;

/** One result to send to one destination; unique per (destination, SOP instance UID). */
public record OutboxEntry(long id, String studyUid, int studyVersion, String destination, String filePath,
                          String sopInstanceUid, State state, int attempts, Instant nextAttempt, String lastError,
                          Instant created, Instant updated) {
    public enum State { PENDING, SENT, PARKED }
}
