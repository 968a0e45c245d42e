package io.tessera.routes;

import io.tessera.core.JobState;
import io.tessera.listener.StudyIndex;
import java.time.Instant;
import java.util.Optional;

/** The study index as the {@link Outbox} sees it: a study version's state, and its {@code deliver} stage. */
final class IndexStudies implements Outbox.Studies {
    private final StudyIndex index;

    IndexStudies(StudyIndex index) {
        this.index = index;
    }

    @Override
    public Optional<JobState> state(String studyUid, int version) {
        return index.study(studyUid).filter(s -> s.version() == version).map(s -> s.state());
    }

    @Override
    public void set(String studyUid, int version, JobState state, String reason) {
        index.setState(studyUid, version, state, reason);
    }

    @Override
    public void stage(String studyUid, int version, String stage, Instant start, Instant end) {
        index.recordStage(studyUid, version, stage, start, end);
    }
}
