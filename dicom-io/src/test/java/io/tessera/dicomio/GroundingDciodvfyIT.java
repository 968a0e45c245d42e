package io.tessera.dicomio;

import io.tessera.core.GroundedFinding;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dciodvfy (dicom3tools) finds no error in the grounding SEG nor the TID 1500 measurement report. */
class GroundingDciodvfyIT {
    @TempDir Path dir;

    @Test
    void grounding_seg_and_measurement_report_pass_dciodvfy_without_errors() throws Exception {
        SourceSeries src = new SeriesReader().read(new CtSeriesWriter().write(Fixtures.ct(Fixtures.obliqueGrid()),
                Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("it-grounding")), dir.resolve("ct")));
        List<GroundedFinding> findings = GroundingFixtures.findings(src.volume().grid());
        Path seg = dir.resolve("grounding.dcm");
        SegInfo segInfo = new GroundingSegWriter().write(src, findings, GroundingFixtures.GROUNDER,
                GroundingSeg.spec(src, GroundingFixtures.GROUNDER, "1"), seg);
        DciodvfyIT.assertClean(seg);

        Segmentation organs = new Segmentation(src, Fixtures.labels(src.volume().grid()), Fixtures.LABELS, Fixtures.MODEL);
        SegInfo organInfo = new SegWriter().write(organs, SegSpec.forModel(src, Fixtures.MODEL, "1"), dir.resolve("organs.dcm"));
        Path sr = dir.resolve("sr.dcm");
        new MeasurementReportWriter().write(MeasurementReport.of(src, GroundingFixtures.GROUNDER, findings, segInfo)
                .withOrgans(organs, organInfo), SrSpec.forGrounding(src, GroundingFixtures.GROUNDER, "1"), sr);
        DciodvfyIT.assertClean(sr);
    }

    @Test
    void a_report_without_any_located_finding_passes_dciodvfy() throws Exception {
        SourceSeries src = new SeriesReader().read(new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()),
                Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("it-grounding-none")), dir.resolve("ct")));
        List<GroundedFinding> none = GroundingFixtures.findings(src.volume().grid()).subList(2, 4);
        Path sr = dir.resolve("sr.dcm");
        new MeasurementReportWriter().write(MeasurementReport.of(src, GroundingFixtures.GROUNDER, none, null),
                SrSpec.forGrounding(src, GroundingFixtures.GROUNDER, "1"), sr);
        DciodvfyIT.assertClean(sr);
    }
}
