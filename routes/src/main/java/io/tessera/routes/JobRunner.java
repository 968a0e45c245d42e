package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job: builds the series volume, segments it, writes the SEG, publishes the FHIR results and delivers the
 * SEG to every destination of the job. Each step is timed under its stage name ({@code load}, {@code infer},
 * {@code encode}, {@code fhir}, {@code deliver}). Any failure propagates with its reason; nothing is half-published
 * to FHIR before the SEG exists.
 */
public final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private final ModelRegistry models;
    private final Segmenter segmenter;
    private final FhirResultMapper fhirMapper;
    private final FhirRepository fhir;
    private final Deliverer deliverer;
    private final Path resultsDir;
    private final Clock clock;

    public JobRunner(ModelRegistry models, Segmenter segmenter, FhirResultMapper fhirMapper, FhirRepository fhir,
                     Deliverer deliverer, Path resultsDir, Clock clock) {
        this.models = models;
        this.segmenter = segmenter;
        this.fhirMapper = fhirMapper;
        this.fhir = fhir;
        this.deliverer = deliverer;
        this.resultsDir = resultsDir;
        this.clock = clock;
    }

    void run(Job job, StageClock stages, Runnable onDelivering) throws Exception {
        LoadedModel model = models.get(job.model()).orElseThrow(() -> new IllegalStateException(
                "TSR-0503: model '" + job.model() + "' named by route '" + job.route() + "' is not loaded"));
        SourceSeries source = stages.time("load", () -> new SeriesReader().read(job.series().files()));
        SegmentationOutput out = stages.time("infer", () -> segmenter.segment(model, source.volume()));
        log.info("job {}/{}: model {} ran {} patch(es), ORT {} ms of {} ms", job.route(), job.model(), model.name(), out.patches(),
                out.ortNanos() / 1_000_000, out.totalNanos() / 1_000_000);
        Segmentation seg = new Segmentation(source, out.labels(), model.modelPackage().labels(), out.model());
        SegSpec spec = SegSpec.forModel(source, out.model(), Integer.toString(job.studyVersion()));
        Path segFile = resultsDir.resolve(source.study().studyInstanceUid()).resolve(spec.sopInstanceUid() + ".dcm");
        SegInfo info = stages.time("encode", () -> {
            Files.createDirectories(segFile.getParent());
            return new SegWriter().write(seg, spec, segFile);
        });
        stages.time("fhir", () -> {
            FhirResultSet set = fhirMapper.map(seg, SegReference.segmentation(info.seriesInstanceUid(), info.sopInstanceUid(),
                    spec.seriesNumber(), spec.seriesDescription()), clock.instant(), job.studyVersion());
            return fhir.store(set);
        });
        onDelivering.run();
        for (DestinationConfig dest : job.destinations()) {
            stages.time("deliver", () -> {
                deliverer.deliver(dest, source.study().studyInstanceUid(), info.sopInstanceUid(), segFile);
                return null;
            });
        }
    }
}
