package io.tessera.routes;

import io.tessera.core.JobState;
import io.tessera.listener.StudyIndex;
import io.tessera.listener.StudyRecord;
import io.tessera.routes.reports.Report;
import io.tessera.routes.reports.StudyReports;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes one complete study version: plan the jobs, run each (its results go into the {@link Outbox}), hand the
 * study to the outbox (DELIVERING), and record every state change and stage time in the index. Failures become a FAILED state with a reason an operator can act on; the server goes on.
 *
 * <p>Inputs: a study UID in state COMPLETE/QUEUED (or an unfinished state after a restart). Outputs: SEG files,
 * FHIR resources, outbox entries; state DELIVERING until the outbox settles it (DONE, or at once when nothing is to
 * be sent). A study found DELIVERING (after a restart) with its entries in the outbox is not processed again: the
 * outbox picks its pending entries up. A newer version arriving meanwhile makes this run's state updates no-ops.
 */
public final class StudyProcessor {
    private static final Logger log = LoggerFactory.getLogger(StudyProcessor.class);
    private final StudyIndex index;
    private final StudyPlanner planner;
    private final JobRunner runner;
    private final Outbox outbox;
    private final Clock clock;
    private final StudyReports reports;

    public StudyProcessor(StudyIndex index, StudyPlanner planner, JobRunner runner, Outbox outbox, Clock clock) {
        this(index, planner, runner, outbox, clock, null);
    }

    /** @param reports where the study's report is found for grounding; null: no grounding */
    public StudyProcessor(StudyIndex index, StudyPlanner planner, JobRunner runner, Outbox outbox, Clock clock,
                          StudyReports reports) {
        this.index = index;
        this.planner = planner;
        this.runner = runner;
        this.outbox = outbox;
        this.clock = clock;
        this.reports = reports;
    }

    public void process(String studyUid) {
        StudyRecord study = index.study(studyUid).orElse(null);
        if (study == null) {
            log.warn("TSR-0501: study {} is not in the index; nothing to do", studyUid);
            return;
        }
        int version = study.version();
        if (study.state() == JobState.DELIVERING && outbox != null
                && !outbox.store().forStudy(studyUid, version).isEmpty()) {
            log.info("study {} v{}: its results are in the outbox; resuming delivery", studyUid, version);
            outbox.settle(studyUid, version);
            return;
        }
        if (!index.setState(studyUid, version, JobState.RUNNING, null)) return;
        if (study.firstReceived() != null && study.lastReceived() != null) {
            index.recordStage(studyUid, version, "receive", study.firstReceived(), study.lastReceived());
        }
        StageClock stages = new StageClock(clock);
        try {
            List<SeriesSummary> series = stages.time("plan", () -> planner.summarise(studyUid, index.instances(studyUid)));
            StudyPlan plan = planner.plan(series, version);
            planner.record(studyUid, version, plan);  // the skipped series and why, for /api/studies
            List<Job> jobs = plan.jobs();
            if (jobs.isEmpty()) {
                log.info("study {} v{}: no routing rule matched its {} series", studyUid, version, series.size());
            }
            String report = jobs.stream().anyMatch(j -> !j.isForward()) ? reportText(studyUid) : null;
            for (Job job : jobs) {
                runner.run(job, stages, report);
                if (!job.isForward()) report = null;  // one grounding per study version: tracking UIDs are per study
            }
            record(studyUid, version, stages);
            if (jobs.isEmpty() || outbox == null) {
                index.setState(studyUid, version, JobState.DONE, jobs.isEmpty() ? "no routing rule matched" : null);
                log.info("study {} v{}: DONE, {} job(s), stages {}", studyUid, version, jobs.size(), stages.spans().keySet());
                return;
            }
            if (!index.setState(studyUid, version, JobState.DELIVERING, null)) return;
            JobState now = outbox.settle(studyUid, version);
            log.info("study {} v{}: {} job(s) done, results in the outbox ({}), stages {}", studyUid, version, jobs.size(), now,
                    stages.spans().keySet());
        } catch (Exception e) {
            record(studyUid, version, stages);
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.error("TSR-0500: study {} v{} failed: {}", studyUid, version, reason, e);
            index.setState(studyUid, version, JobState.FAILED, reason);
        }
    }

    /** The newest report for the study (by Study Instance UID or accession, SR in the study included), or null. */
    private String reportText(String studyUid) {
        if (reports == null) return null;
        List<Report> found = reports.forStudy(studyUid, null, index.instances(studyUid));
        return found.isEmpty() ? null : found.get(0).text();
    }

    private void record(String studyUid, int version, StageClock stages) {
        stages.spans().forEach((stage, span) -> index.recordStage(studyUid, version, stage, span.start(), span.end()));
    }
}
