package io.tessera.routes;

import io.tessera.core.GroundedFinding;
import io.tessera.core.ModelIdentity;
import io.tessera.core.Segmentation;
import io.tessera.dicomio.GroundingSeg;
import io.tessera.dicomio.GroundingSegWriter;
import io.tessera.dicomio.MeasurementReport;
import io.tessera.dicomio.MeasurementReportWriter;
import io.tessera.dicomio.SegInfo;
import io.tessera.dicomio.SegSpec;
import io.tessera.dicomio.SrInfo;
import io.tessera.dicomio.SrSpec;
import io.tessera.fhir.GroundingResult;
import io.tessera.fhir.SegReference;
import io.tessera.grounding.Grounder;
import io.tessera.grounding.ModelGrounder;
import io.tessera.grounding.ParsedReport;
import io.tessera.grounding.PromptRefiner;
import io.tessera.grounding.ReportParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grounds a study's report in one segmented series: parse the text, locate each positive finding with the organ
 * segmentation, then write the grounding SEG (one segment per located finding) and the TID 1500 SR, and describe both
 * for FHIR. The three encodings share each finding's tracking UID.
 *
 * <p>Inputs: report text (never logged), the organ segmentation on the source grid and its SEG. Outputs: the files to
 * deliver (SOP UID → path) and the {@link GroundingResult} for the FHIR mapping. Failures propagate (the job fails with
 * the reason); a report with no positive finding still yields an SR that says so.
 */
final class GroundingStep {
    private static final Logger log = LoggerFactory.getLogger(GroundingStep.class);
    /** The rule-and-segmentation grounder's identity: its Device in SEG, SR and FHIR. */
    static final ModelIdentity GROUNDER = new ModelIdentity("tessera-grounding", "0.3.0", null, "CPU");

    record Output(GroundingResult fhir, List<OutFile> files, int located, int stated) {}

    record OutFile(String sopInstanceUid, Path path) {}

    private final ReportParser parser;
    private final Grounder grounder = new Grounder();
    private final ModelGrounder modelGrounder;
    private final ModelIdentity identity;
    private final PromptRefiner refiner;

    /** No grounding: reports are not grounded, the job's results are the segmentation's alone. */
    static GroundingStep none() {
        return new GroundingStep(null, null, GROUNDER);
    }

    GroundingStep(ReportParser parser) {
        this(parser, null, GROUNDER);
    }

    /** Locates findings with a grounding model (its identity becomes the SEG/SR/FHIR device) instead of the rules. */
    GroundingStep(ReportParser parser, ModelGrounder modelGrounder, ModelIdentity identity) {
        this(parser, modelGrounder, identity, null);
    }

    private GroundingStep(ReportParser parser, ModelGrounder modelGrounder, ModelIdentity identity, PromptRefiner refiner) {
        this.parser = parser;
        this.modelGrounder = modelGrounder;
        this.identity = identity;
        this.refiner = refiner;
    }

    /**
     * The same step with each located finding's outline redrawn by a promptable model (grounding.refineWith); the
     * method each finding records says which outline was kept, so SEG, SR and FHIR show who drew it.
     */
    GroundingStep refinedBy(PromptRefiner promptRefiner) {
        return new GroundingStep(parser, modelGrounder, identity, promptRefiner);
    }

    /** False for {@link #none()}. */
    boolean enabled() {
        return parser != null;
    }

    Output run(String reportText, Segmentation seg, SegInfo organSeg, int studyVersion, Path dir) throws IOException {
        String studyUid = seg.source().study().studyInstanceUid();
        ParsedReport parsed = parser.parse(reportText);
        List<GroundedFinding> findings;
        try {
            findings = modelGrounder != null
                    ? modelGrounder.ground(seg.source().volume(), parsed.findings(), studyUid, studyVersion)
                    : grounder.ground(seg.source().volume(), seg.labels(), seg.segments(), parsed, studyUid, studyVersion);
            if (refiner != null) findings = refiner.refine(seg.source().volume(), findings,
                    k -> seg.source().slices().get(k).sopInstanceUid() + "/" + seg.source().slices().get(k).frameNumber());
        } catch (io.tessera.inference.InferenceException e) {
            throw new IOException(e.getMessage(), e);
        }
        String version = Integer.toString(studyVersion);
        io.tessera.core.OwnerOnly.createDirectories(dir);
        List<OutFile> files = new ArrayList<>();
        SegInfo gSeg = null;
        SegReference gSegRef = null;
        if (!GroundingSeg.segmented(findings).isEmpty()) {
            SegSpec spec = GroundingSeg.spec(seg.source(), identity, version);
            Path file = dir.resolve(spec.sopInstanceUid() + ".dcm");
            gSeg = new GroundingSegWriter().write(seg.source(), findings, identity, spec, file);
            gSegRef = SegReference.segmentation(gSeg.seriesInstanceUid(), gSeg.sopInstanceUid(), GroundingSeg.SERIES_NUMBER,
                    GroundingSeg.SERIES_DESCRIPTION);
            files.add(new OutFile(gSeg.sopInstanceUid(), file));
        }
        SrSpec srSpec = SrSpec.forGrounding(seg.source(), identity, version);
        Path srFile = dir.resolve(srSpec.sopInstanceUid() + ".dcm");
        SrInfo sr = new MeasurementReportWriter().write(
                MeasurementReport.of(seg.source(), identity, findings, gSeg).withOrgans(seg, organSeg), srSpec, srFile);
        files.add(new OutFile(sr.sopInstanceUid(), srFile));
        int located = GroundingSeg.segmented(findings).size();
        log.info("study {} v{}: report grounded, {} of {} stated finding(s) located", studyUid, studyVersion, located,
                findings.size());
        GroundingResult result = new GroundingResult(identity, findings, gSegRef,
                GroundingResult.sr(sr.seriesInstanceUid(), sr.sopInstanceUid(), SrSpec.SERIES_NUMBER, srSpec.seriesDescription()));
        return new Output(result, files, located, findings.size());
    }
}
