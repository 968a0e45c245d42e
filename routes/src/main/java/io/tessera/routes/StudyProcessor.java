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
 * study to the outbox (DELIVERING), and record every state change and stage time in the index.
 *
 * <p>Inputs: a study UID taken from the queue. Only a study still QUEUED (or COMPLETE) at the version the index holds
 * is taken to RUNNING ({@link StudyIndex#startRun}): a study a late instance re-opened is RECEIVING a newer version
 * and waits its quiet period; the completion poller queues it again. A study found DELIVERING (after a restart) is
 * not processed again: the outbox settles it.
 *
 * <p>Each job stands alone: a job that fails is recorded FAILED with its code and reason, the others go on. The study
 * ends DONE when every job succeeded, DONE_WITH_FAILURES (first failure as its reason) when some failed and the
 * others' results were delivered, FAILED when every job failed or the study could not be planned. Once
 * {@link #stop()} is called no study starts, and a job the stopping server terminated hands its study back (QUEUED,
 * resumed at the next start) instead of failing it.
 */
public final class StudyProcessor {
    private static final Logger log = LoggerFactory.getLogger(StudyProcessor.class);
    private final StudyIndex index;
    private final StudyPlanner planner;
    private final Jobs runner;
    private final ResultDelivery delivery;
    private final Clock clock;
    private final StudyReports reports;
    private volatile boolean stopping;
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    /** Runs one job of a study: the {@link JobRunner}; a test gives its own. */
    interface Jobs {
        void run(Job job, StageClock stages, String report) throws Exception;
    }

    /**
     * @param delivery where a study's results go once its jobs are done (the {@link Outbox}), or
     *                 {@link ResultDelivery#none()}: the study is DONE when its jobs are
     * @param reports  where the study's report is found for grounding, or {@link StudyReports#none()}
     */
    public StudyProcessor(StudyIndex index, StudyPlanner planner, JobRunner runner, ResultDelivery delivery, Clock clock,
                          StudyReports reports) {
        this(index, planner, (Jobs) runner::run, delivery, clock, reports);
    }

    StudyProcessor(StudyIndex index, StudyPlanner planner, Jobs runner, ResultDelivery delivery, Clock clock,
                   StudyReports reports) {
        this.index = index;
        this.planner = planner;
        this.runner = runner;
        this.delivery = delivery;
        this.clock = clock;
        this.reports = reports;
    }

    /** No study starts after this; running ones hand their study back when their job is terminated. */
    public void stop() {
        stopping = true;
    }

    /** True once {@link #stop()} was called. */
    public boolean stopping() {
        return stopping;
    }

    /** Studies being processed now. */
    public int running() {
        return running.get();
    }

    public void process(String studyUid) {
        StudyRecord study = index.study(studyUid).orElse(null);
        if (study == null) {
            log.warn("TSR-0501: study {} is not in the index; nothing to do", studyUid);
            return;
        }
        int version = study.version();
        if (study.state() == JobState.DELIVERING && delivery.delivers()) {
            log.info("study {} v{}: its results are in the outbox; resuming delivery", studyUid, version);
            delivery.settle(studyUid, version);
            return;
        }
        if (stopping) return; // stays QUEUED: the next start resumes it
        if (!index.startRun(studyUid, version)) {
            log.info("study {} v{} is {}, not QUEUED: this queue entry is void (a re-opened study is queued again once quiet)",
                    studyUid, version, index.study(studyUid).map(StudyRecord::state).orElse(null));
            return;
        }
        running.incrementAndGet();
        try {
            run(studyUid, version, study);
        } finally {
            running.decrementAndGet();
        }
    }

    private void run(String studyUid, int version, StudyRecord study) {
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
            int failed = 0;
            String firstFailure = null;
            for (Job job : jobs) {
                try {
                    runner.run(job, stages, report);
                    if (!job.isForward()) report = null;  // one grounding per study version: tracking UIDs are per study
                } catch (Exception e) {
                    if (stopping && isStop(e)) {
                        handBack(studyUid, version, stages);
                        return;
                    }
                    String reason = "job " + job.route() + "/" + (job.isForward() ? "forward" : job.model()) + " on series "
                            + job.series().seriesInstanceUid() + ": " + reasonOf(e);
                    log.error("TSR-0506: study {} v{}: {}", studyUid, version, reason, e);
                    index.recordJobFailure(studyUid, version, reason);
                    if (firstFailure == null) firstFailure = reason;
                    failed++;
                }
            }
            record(studyUid, version, stages);
            if (!jobs.isEmpty() && failed == jobs.size()) {
                index.setState(studyUid, version, JobState.FAILED, failed == 1 ? firstFailure
                        : "all " + failed + " jobs failed; first: " + firstFailure);
                return;
            }
            if (jobs.isEmpty() || !delivery.delivers()) {
                index.setState(studyUid, version, JobState.DONE, !jobs.isEmpty() ? null : plan.skipped().isEmpty()
                        ? "no routing rule matched" : "nothing to process: " + plan.skipped().size()
                        + " matching series skipped (localizer, dose screen, too few slices, ...; see skipped)");
                log.info("study {} v{}: done, {} job(s) ({} failed), stages {}", studyUid, version, jobs.size(), failed,
                        stages.spans().keySet());
                return;
            }
            if (!index.setState(studyUid, version, JobState.DELIVERING, null)) return;
            JobState now = delivery.settle(studyUid, version);
            log.info("study {} v{}: {} job(s) done ({} failed), results in the outbox ({}), stages {}", studyUid, version,
                    jobs.size(), failed, now, stages.spans().keySet());
        } catch (Exception e) {
            record(studyUid, version, stages);
            if (stopping && isStop(e)) {
                handBack(studyUid, version, stages);
                return;
            }
            String reason = reasonOf(e);
            log.error("TSR-0500: study {} v{} failed: {}", studyUid, version, reason, e);
            index.setState(studyUid, version, JobState.FAILED, reason);
        }
    }

    private void handBack(String studyUid, int version, StageClock stages) {
        record(studyUid, version, stages);
        if (index.handBack(studyUid, version)) {
            log.info("study {} v{}: handed back (QUEUED) for the next start: the server is stopping", studyUid, version);
        }
    }

    /** A job the stopping server terminated, or one interrupted by it: not the study's failure. */
    private static boolean isStop(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof io.tessera.inference.InferenceException ie && (ie.stopped()
                    || io.tessera.inference.InferenceException.INTERRUPTED.equals(ie.code()))) return true;
            if (t instanceof InterruptedException) return true;
        }
        return false;
    }

    private static String reasonOf(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The newest report for the study (by Study Instance UID or accession, SR in the study included), or null. */
    private String reportText(String studyUid) {
        List<Report> found = reports.forStudy(studyUid, null, index.instances(studyUid));
        return found.isEmpty() ? null : found.get(0).text();
    }

    private void record(String studyUid, int version, StageClock stages) {
        stages.spans().forEach((stage, span) -> index.recordStage(studyUid, version, stage, span.start(), span.end()));
    }
}
