package io.tessera.core;

/**
 * The states of a study's processing: RECEIVING until quiet, COMPLETE (claimed), QUEUED, RUNNING (jobs), DELIVERING
 * (results in the outbox), then DONE; DONE_WITH_FAILURES when some of its jobs failed and the others' results were
 * delivered; FAILED when nothing could be made (reason recorded); PARKED when delivery gave up (replayable).
 */
public enum JobState {
    RECEIVING, COMPLETE, QUEUED, RUNNING, DELIVERING, DONE, DONE_WITH_FAILURES, FAILED, PARKED;

    public boolean isFinal() {
        return this == DONE || this == DONE_WITH_FAILURES || this == FAILED || this == PARKED;
    }
}
