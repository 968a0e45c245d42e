package io.tessera.routes;

import io.tessera.core.JobState;
import io.tessera.listener.StudyIndex;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Claims studies that have been quiet long enough (state moves to COMPLETE in the index) and marks them QUEUED. */
public final class CompletionPoller {
    private final StudyIndex index;
    private final Duration quietPeriod;
    private final Clock clock;

    public CompletionPoller(StudyIndex index, Duration quietPeriod, Clock clock) {
        this.index = index;
        this.quietPeriod = quietPeriod;
        this.clock = clock;
    }

    public List<String> claim() {
        List<String> uids = index.claimQuietStudies(clock.instant(), quietPeriod);
        for (String uid : uids) {
            index.study(uid).ifPresent(s -> index.setState(uid, s.version(), JobState.QUEUED, null));
        }
        return uids;
    }
}
