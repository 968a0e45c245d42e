package io.tessera.routes;

import io.tessera.core.JobState;

/**
 * What takes a study's results once its jobs are done: the {@link Outbox} in the server. {@link #none()} where nothing
 * delivers (tests of processing alone): a study whose jobs are done is DONE at once, never DELIVERING.
 */
public interface ResultDelivery {
    /** Sets a DELIVERING study's state from its delivery; returns the state it is in afterwards. */
    JobState settle(String studyUid, int version);

    /** False for {@link #none()}. */
    default boolean delivers() {
        return true;
    }

    static ResultDelivery none() {
        return new ResultDelivery() {
            @Override
            public JobState settle(String studyUid, int version) {
                throw new IllegalStateException("nothing delivers results here");
            }

            @Override
            public boolean delivers() {
                return false;
            }
        };
    }
}
