package io.tessera.routes;

import io.tessera.core.LabelMap;
import io.tessera.core.ModelSpace;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.GeometryPolicy;
import io.tessera.dicomio.SegInfo;
import io.tessera.dicomio.SegSpec;
import io.tessera.dicomio.SegWriter;
import io.tessera.dicomio.SeriesReader;
import io.tessera.fhir.FhirRepository;
import io.tessera.fhir.FhirResultMapper;
import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.SegReference;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.SegmentationOutput;
import io.tessera.inference.Segmenter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job: builds the series volume, segments it, writes the SEG, publishes the FHIR results and puts the SEG
 * in the {@link Outbox} for every destination of the job (the outbox sends it). Each step is timed under its stage name ({@code load}, {@code infer},
 * {@code encode}, {@code fhir}, {@code outbox}). Any failure propagates with its reason; nothing is half-published
 * to FHIR before the SEG exists.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private final ModelRegistry models;
    private final Segmenter segmenter;
    private final FhirResultMapper fhirMapper;
    private final FhirRepository fhir;
    private final Outbox outbox;
    private final Path resultsDir;
    private final Clock clock;
    private final GeometryPolicy geometry;
    private final GroundingStep grounding;
    private final JobRecordSink jobRecords;
    private final GroundedFindings groundedFindings;
    private final JobProgress progress;

    private JobRunner(Builder b) {
        this.models = b.models;
        this.segmenter = b.segmenter;
        this.fhirMapper = b.fhirMapper;
        this.fhir = b.fhir;
        this.outbox = b.outbox;
        this.resultsDir = b.resultsDir;
        this.clock = b.clock;
        this.geometry = b.geometry;
        this.grounding = b.grounding;
        this.jobRecords = b.jobRecords;
        this.groundedFindings = b.groundedFindings;
        this.progress = b.progress;
    }

    /**
     * A runner of these required parts; by default it resamples uneven spacing and gantry tilt, grounds no report and
     * keeps no job records ({@link JobRecordSink#NONE}).
     */
    public static Builder builder(ModelRegistry models, Segmenter segmenter, FhirResultMapper fhirMapper, FhirRepository fhir,
                                  Outbox outbox, Path resultsDir, Clock clock) {
        return new Builder(models, segmenter, fhirMapper, fhir, outbox, resultsDir, clock);
    }

    /** Collects a runner's parts; {@link #build()} makes the runner, which never changes afterwards. */
    public static final class Builder {
        private final ModelRegistry models;
        private final Segmenter segmenter;
        private final FhirResultMapper fhirMapper;
        private final FhirRepository fhir;
        private final Outbox outbox;
        private final Path resultsDir;
        private final Clock clock;
        private GeometryPolicy geometry = GeometryPolicy.resampling();
        private GroundingStep grounding = GroundingStep.none();
        private JobRecordSink jobRecords = JobRecordSink.NONE;
        private GroundedFindings groundedFindings;
        private JobProgress progress;

        private Builder(ModelRegistry models, Segmenter segmenter, FhirResultMapper fhirMapper, FhirRepository fhir,
                        Outbox outbox, Path resultsDir, Clock clock) {
            this.models = models;
            this.segmenter = segmenter;
            this.fhirMapper = fhirMapper;
            this.fhir = fhir;
            this.outbox = outbox;
            this.resultsDir = resultsDir;
            this.clock = clock;
        }

        public Builder geometry(GeometryPolicy geometry) {
            this.geometry = geometry;
            return this;
        }

        /** Records each job's provenance (model, version, ONNX SHA-256, provider) and outcome. */
        /** Where each running job says what it is doing now, for the console (none when not set). */
        public Builder progress(JobProgress now) {
            this.progress = now;
            return this;
        }

        /** Where each grounding's findings are kept for the console (none when not set). */
        public Builder groundedFindings(GroundedFindings findings) {
            this.groundedFindings = findings;
            return this;
        }

        public Builder jobRecords(JobRecordSink records) {
            this.jobRecords = records;
            return this;
        }

        /** Grounds reports with this parser (the lexicon from config) and the rule-and-segmentation method. */
        public Builder grounding(io.tessera.grounding.ReportParser parser) {
            this.grounding = new GroundingStep(parser);
            return this;
        }

        /** Grounds reports with a {@code task: grounding} model instead of the rule-and-segmentation method. */
        public Builder groundingModel(io.tessera.grounding.ReportParser parser, LoadedModel model) throws java.io.IOException {
            this.grounding = new GroundingStep(parser, new io.tessera.grounding.ModelGrounder(
                    new io.tessera.inference.GroundingRunner(model)), model.identity());
            return this;
        }

        /**
         * Redraws the outline of each finding the grounding located with a {@code task: promptable-segmentation}
         * model (grounding.refineWith); call after {@link #grounding} or {@link #groundingModel}.
         */
        public Builder refineWith(LoadedModel model) {
            this.grounding = grounding.refinedBy(new io.tessera.grounding.PromptRefiner(
                    new io.tessera.inference.PromptableSegmenter(model, 32), model.identity()));
            return this;
        }

        public JobRunner build() {
            return new JobRunner(this);
        }
    }

    void run(Job job, StageClock stages) throws Exception {
        run(job, stages, null);
    }

    /** @param report the study's report text to ground in this job's segmentation, or null */
    void run(Job job, StageClock stages, String report) throws Exception {
        if (job.isForward()) {
            forward(job, stages);
            return;
        }
        LoadedModel model = models.get(job.model()).orElseThrow(() -> new IllegalStateException(
                "TSR-0503: model '" + job.model() + "' named by route '" + job.route() + "' is not loaded"));
        long started = System.nanoTime();
        String outcome = "failed";
        String studyUid = job.series().studyInstanceUid();
        if (progress != null) stages.onStage(stage -> progress.stage(studyUid, model.name(), stage));
        try {
            if (model.manifest().classifiesFrames()) {
                List<String> srs = new ClassificationJob(fhirMapper, fhir, outbox, resultsDir, clock).run(job, stages, model);
                record(job, model, "DONE", srs, null, null);
                outcome = "done";
                return;
            }
            String segSop = segment(job, stages, report, model);
            record(job, model, "DONE", segSop, null, null);
            outcome = "done";
        } catch (Exception e) {
            // a job terminated by a stopping server is handed back, not failed: it runs again at the next start
            if (!(e instanceof io.tessera.inference.InferenceException ie && ie.stopped())) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                record(job, model, "FAILED", List.of(), JobRecords.codeOf(e), reason);
            } else {
                outcome = "stopped";
            }
            throw e;
        } finally {
            if (progress != null) {
                stages.onStage(null);
                progress.finished(studyUid);
            }
            TesseraMeters.job(model.identity().name(), model.identity().provider(), outcome,
                    java.time.Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void record(Job job, LoadedModel model, String state, String segSop, String code, String reason) {
        record(job, model, state, segSop == null ? List.of() : List.of(segSop), code, reason);
    }

    /** {@code results}: every result object of the job, the first one also kept as the record's SEG/SR. */
    private void record(Job job, LoadedModel model, String state, List<String> results, String code, String reason) {
        io.tessera.core.ModelIdentity id = model.identity();
        jobRecords.record(new JobRecords.JobRecord(job.series().studyInstanceUid(), job.studyVersion(),
                job.series().seriesInstanceUid(), job.route(), id.name(), id.version(), id.sha256(), id.provider(), state,
                results.isEmpty() ? null : results.get(0), code, reason, clock.instant(), results));
    }

    /**
     * The model's input channels on its grid: the job's series, then each further series a multi-series model takes
     * (T1, then FLAIR, say), read and sampled at the first's voxels by patient coordinates. Series in another frame of
     * reference cannot be matched so (TSR-0508: the job fails with that reason, nothing is guessed).
     */
    private List<io.tessera.core.Volume> channelVolumes(Job job, SourceSeries source, ModelSpace space, StageClock stages)
            throws Exception {
        List<io.tessera.core.Volume> inputs = new java.util.ArrayList<>();
        inputs.add(space.volume());
        for (SeriesSummary c : job.channels()) {
            SourceSeries other = stages.time("load", () -> new SeriesReader(geometry).read(c.files()));
            if (source.frameOfReferenceUid() == null || !source.frameOfReferenceUid().equals(other.frameOfReferenceUid())) {
                throw new IllegalStateException("TSR-0508: series " + other.seriesInstanceUid() + " (a channel of model "
                        + job.model() + ") is not in the frame of reference of series " + source.seriesInstanceUid());
            }
            inputs.add(stages.time("resample", () -> space.sample(other)));
        }
        return inputs;
    }

    /** Segments the series, writes SEG (and grounding outputs), publishes FHIR, enqueues; returns the SEG's SOP UID. */
    private String segment(Job job, StageClock stages, String report, LoadedModel model) throws Exception {
        SourceSeries source = stages.time("load", () -> new SeriesReader(geometry).read(job.series().files()));
        // the model sees the series in its own orientation; its labels go back to every source frame
        ModelSpace space = ModelSpace.of(source, ModelSpace.Orientation.parse(model.manifest().input().orientation()));
        long inferStart = System.nanoTime();
        String studyUid = job.series().studyInstanceUid();
        io.tessera.inference.WindowProgress windows = progress == null ? io.tessera.inference.WindowProgress.NONE
                : (done, total) -> progress.windows(studyUid, done, total);
        List<io.tessera.core.Volume> inputs = channelVolumes(job, source, space, stages);
        SegmentationOutput out = stages.time("infer", () -> segmenter.segment(model, inputs, windows));
        TesseraMeters.model(model.identity().name(), model.identity().provider(),
                java.time.Duration.ofNanos(System.nanoTime() - inferStart));
        log.info("job {}/{}: model {} ran {} patch(es), ORT {} ms of {} ms", job.route(), job.model(), model.name(), out.patches(),
                out.ortNanos() / 1_000_000, out.totalNanos() / 1_000_000);
        LabelMap labels = space.toSource(out.labels());
        Segmentation seg = new Segmentation(source, labels, model.modelPackage().labels(), out.model());
        SegSpec spec = SegSpec.forModel(source, out.model(), Integer.toString(job.studyVersion()));
        Path segFile = resultsDir.resolve(source.study().studyInstanceUid()).resolve(spec.sopInstanceUid() + ".dcm");
        SegInfo info = stages.time("encode", () -> {
            io.tessera.core.OwnerOnly.createDirectories(segFile.getParent());
            return new SegWriter().write(seg, spec, segFile);
        });
        GroundingStep.Output grounded = report == null || !grounding.enabled() ? null : stages.time("ground",
                () -> grounding.run(report, seg, info, job.studyVersion(), segFile.getParent()));
        if (grounded != null && groundedFindings != null) {
            var gSeg = grounded.fhir().groundingSeg();
            groundedFindings.replace(source.study().studyInstanceUid(), job.studyVersion(), job.series().seriesInstanceUid(),
                    grounded.fhir().findings(), gSeg == null ? null : gSeg.sopInstanceUid());
        }
        FhirResultSet set = stages.time("fhir", () -> {
            SegReference segRef = SegReference.segmentation(info.seriesInstanceUid(), info.sopInstanceUid(),
                    spec.seriesNumber(), spec.seriesDescription());
            FhirResultMapper mapper = fhirMapper.forCallingAe(job.series().callingAeTitle());
            FhirResultSet made = grounded == null ? mapper.map(seg, segRef, clock.instant(), job.studyVersion())
                    : mapper.map(seg, segRef, clock.instant(), job.studyVersion(), grounded.fhir());
            // what is pushed is what is served: the amended report and the Observations it retracts
            return fhir.store(made).orElse(made);
        });
        stages.time("outbox", () -> {
            List<ResultEnqueuer.FallbackSeries.Instance> groundingFiles = grounded == null ? List.of()
                    : grounded.files().stream().map(f -> new ResultEnqueuer.FallbackSeries.Instance(f.sopInstanceUid(), f.path())).toList();
            new ResultEnqueuer(outbox).enqueue(source.study().studyInstanceUid(), job.studyVersion(), job.destinations(),
                    info.sopInstanceUid(), segFile, set, BurnedInFallback.lazy(seg, spec, segFile.getParent()), groundingFiles);
            return null;
        });
        return info.sopInstanceUid();
    }

    /** Plain auto-routing: every received instance of the series goes to every destination, bytes unchanged. */
    private void forward(Job job, StageClock stages) throws Exception {
        stages.time("outbox", () -> {
            for (Path file : job.series().files()) {
                String sop = sopInstanceUid(file);
                for (Destination dest : job.destinations()) {
                    if (!dest.takesImages()) continue; // a FHIR server takes results, not images
                    outbox.enqueue(job.series().studyInstanceUid(), job.studyVersion(), dest.name(), sop, file);
                }
            }
            return null;
        });
        log.info("job {}: forwarding {} instance(s) of a series as received", job.route(), job.series().instanceCount());
    }

    /** Spooled files are named {@code <SOPInstanceUID>.dcm} by the listener; anything else is read. */
    private static String sopInstanceUid(Path file) throws java.io.IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".dcm") && name.substring(0, name.length() - 4).matches("[0-9.]{1,64}")) {
            return name.substring(0, name.length() - 4);
        }
        String sop = io.tessera.dicomio.DicomHeaders.read(file).get("SOPInstanceUID");
        if (sop == null) throw new java.io.IOException("TSR-0505: " + name + " has no SOP Instance UID to forward under");
        return sop;
    }
}
