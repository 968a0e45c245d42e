package io.tessera.routes;

import io.tessera.core.Classification;
import io.tessera.core.SourceSeries;
import io.tessera.dicomio.ClassificationReportWriter;
import io.tessera.dicomio.ProjectionImage;
import io.tessera.dicomio.ProjectionImageReader;
import io.tessera.dicomio.SrInfo;
import io.tessera.dicomio.SrSpec;
import io.tessera.fhir.FhirRepository;
import io.tessera.fhir.FhirResultMapper;
import io.tessera.fhir.FhirResultSet;
import io.tessera.fhir.SegReference;
import io.tessera.inference.FrameClassifier;
import io.tessera.inference.ImageClassifier;
import io.tessera.inference.FrameImage;
import io.tessera.inference.LoadedModel;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A classification job: every single-frame image of the series is read as it is (MONOCHROME1 inverted, Imager Pixel
 * Spacing, its VOI window), classified by the model, written as a TID 1500 SR and published as FHIR Observations;
 * the SR goes to the job's DICOM and folder destinations, the Bundle to its FHIR ones. One SR and one result set per
 * image. Stages: {@code load}, {@code infer}, {@code encode}, {@code fhir}, {@code outbox}. Returns the SRs' SOP UIDs.
 */
final class ClassificationJob {
    private static final Logger log = LoggerFactory.getLogger(ClassificationJob.class);
    private final FhirResultMapper fhirMapper;
    private final FhirRepository fhir;
    private final Outbox outbox;
    private final Path resultsDir;
    private final Clock clock;

    ClassificationJob(FhirResultMapper fhirMapper, FhirRepository fhir, Outbox outbox, Path resultsDir, Clock clock) {
        this.fhirMapper = fhirMapper;
        this.fhir = fhir;
        this.outbox = outbox;
        this.resultsDir = resultsDir;
        this.clock = clock;
    }

    List<String> run(Job job, StageClock stages, LoadedModel model) throws Exception {
        List<String> written = new ArrayList<>();
        try (ImageClassifier classifier = FrameClassifier.of(model)) {
            for (Path file : job.series().files()) {
                ProjectionImage image = stages.time("load", () -> new ProjectionImageReader().read(file));
                FrameImage frame = new FrameImage(image.sopInstanceUid(), image.width(), image.height(), image.values(),
                        image.hasVoi() ? image.voiCenter() : Double.NaN, image.hasVoi() ? image.voiWidth() : Double.NaN);
                long inferStart = System.nanoTime();
                Classification c = stages.time("infer", () -> classifier.classify(frame, image.slice()));
                TesseraMeters.model(model.identity().name(), model.identity().provider(),
                        java.time.Duration.ofNanos(System.nanoTime() - inferStart));
                // counts only: which labels were called present is a result, kept out of the log with the patient's data
                log.info("job {}/{}: classified one {} image ({} labels, {} called present)", job.route(), job.model(),
                        image.modality(), c.labels().size(), c.labels().stream().filter(l -> l.present()).count());
                SourceSeries source = image.toSourceSeries();
                SrSpec spec = SrSpec.forClassification(source, model.identity(), Integer.toString(job.studyVersion()), image.sopInstanceUid());
                Path srFile = resultsDir.resolve(source.study().studyInstanceUid()).resolve(spec.sopInstanceUid() + ".dcm");
                SrInfo info = stages.time("encode", () -> {
                    io.tessera.core.OwnerOnly.createDirectories(srFile.getParent());
                    return new ClassificationReportWriter().write(source, c, spec, srFile);
                });
                FhirResultSet set = stages.time("fhir", () -> {
                    SegReference ref = new SegReference(info.seriesInstanceUid(), info.sopInstanceUid(), info.sopClassUid(),
                            spec.seriesNumber(), 1, spec.seriesDescription());
                    FhirResultSet made = fhirMapper.forCallingAe(job.series().callingAeTitle()).map(source, c, ref, clock.instant(), job.studyVersion(),
                            ClassificationReportWriter::trackingUid);
                    return fhir.store(made).orElse(made); // pushed as served: amended report, retractions
                });
                stages.time("outbox", () -> {
                    new ResultEnqueuer(outbox).enqueue(source.study().studyInstanceUid(), job.studyVersion(), job.destinations(),
                            info.sopInstanceUid(), srFile, set, null);
                    return null;
                });
                written.add(info.sopInstanceUid());
            }
        }
        return written;
    }
}
