package io.tessera.core;

/** The states of a study's processing; see DESIGN.md "The life of a study". */
public enum JobState {
    RECEIVING, COMPLETE, QUEUED, RUNNING, DELIVERING, DONE, FAILED, PARKED;

    public boolean isFinal() {
        return this == DONE || this == FAILED || this == PARKED;
    }
}
