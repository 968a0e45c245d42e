package io.tessera.testkit;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.Laterality;
import io.tessera.core.ModelIdentity;
import io.tessera.core.ReportFinding;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.dicomio.GroundingSeg;
import io.tessera.dicomio.GroundingSegWriter;
import io.tessera.dicomio.MeasurementReport;
import io.tessera.dicomio.MeasurementReportWriter;
import io.tessera.dicomio.SegInfo;
import io.tessera.dicomio.SegSpec;
import io.tessera.dicomio.SegWriter;
import io.tessera.dicomio.SeriesReader;
import io.tessera.dicomio.SrInfo;
import io.tessera.dicomio.SrSpec;
import io.tessera.testkit.phantom.Lesion;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.PhantomSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A phantom study with its report findings grounded to the true lesion masks (what a perfect grounder returns), plus a
 * stated finding in an organ without a lesion (not located) and a negated one, encoded as organ SEG, grounding SEG and
 * TID 1500 SR — the inputs the grounding encoders see in production.
 */
record GroundingPhantom(PhantomStudy study, SourceSeries source, List<GroundedFinding> findings, Segmentation organs,
                        Path organSeg, SegInfo organInfo, Path groundingSeg, SegInfo groundingInfo, Path sr, SrInfo srInfo) {
    static final ModelIdentity GROUNDER = new ModelIdentity("tessera-grounding", "0.3.0", null, "CPU");
    static final ModelIdentity ORGAN_MODEL = new ModelIdentity("ct-phantom-organs", "1.0.0", null, "CPU");

    static GroundingPhantom write(long seed, Path dir) throws Exception {
        PhantomStudy study = PhantomStudy.write(PhantomSpec.small(seed), dir.resolve("ct"));
        SourceSeries src = new SeriesReader().read(study.files());
        List<GroundedFinding> findings = findings(study, src.volume().grid());
        Segmentation organs = new Segmentation(src, study.phantom().organs(), organLabels(), ORGAN_MODEL);
        Path organSeg = dir.resolve("organs.dcm");
        SegInfo organInfo = new SegWriter().write(organs, SegSpec.forModel(src, ORGAN_MODEL, "1"), organSeg);
        Path groundingSeg = dir.resolve("grounding.dcm");
        SegInfo groundingInfo = new GroundingSegWriter().write(src, findings, GROUNDER, GroundingSeg.spec(src, GROUNDER, "1"),
                groundingSeg);
        Path sr = dir.resolve("sr.dcm");
        SrInfo srInfo = new MeasurementReportWriter().write(MeasurementReport.of(src, GROUNDER, findings, groundingInfo)
                .withOrgans(organs, organInfo), SrSpec.forGrounding(src, GROUNDER, "1"), sr);
        return new GroundingPhantom(study, src, findings, organs, organSeg, organInfo, groundingSeg, groundingInfo, sr, srInfo);
    }

    /** One located finding per lesion (mask = the lesion's truth), then a not-located and a negated one. */
    private static List<GroundedFinding> findings(PhantomStudy study, Grid g) {
        List<GroundedFinding> out = new ArrayList<>();
        String studyUid = study.study().studyInstanceUid();
        for (Lesion l : study.phantom().lesions()) {
            LabelMap mask = LabelMap.empty(g);
            byte[] truth = study.phantom().lesionMap().labels();
            long n = 0;
            for (int v = 0; v < truth.length; v++) {
                if ((truth[v] & 0xff) == l.index()) {
                    mask.labels()[v] = 1;
                    n++;
                }
            }
            Code type = l.kind().equals("nodule") ? Code.sct("27925004", "Nodule") : Code.sct("52988006", "Lesion");
            ReportFinding f = new ReportFinding(out.size(), l.diameterMm() + " mm " + l.kind() + " in the " + l.location(),
                    type, site(l.organ()), side(l.organ()), Assertion.PRESENT, new double[] {l.diameterMm()});
            out.add(new GroundedFinding(f, "finding-" + (out.size() + 1), trackingUid(studyUid, out.size()), true, null, mask,
                    null, null, 0.9, n * g.voxelVolumeMl(), l.diameterMm(), "segmentation+lesion"));
        }
        ReportFinding stated = new ReportFinding(out.size(), "small cyst in the spleen", Code.sct("441457006", "Cyst"),
                site("spleen"), Laterality.UNSPECIFIED, Assertion.PRESENT, null);
        out.add(GroundedFinding.notGrounded(stated, "finding-" + (out.size() + 1), trackingUid(studyUid, out.size()),
                "no lesion candidate in the spleen"));
        ReportFinding negated = new ReportFinding(out.size(), "no pleural effusion", Code.sct("60046008", "Pleural effusion"),
                null, Laterality.UNSPECIFIED, Assertion.ABSENT, null);
        out.add(GroundedFinding.notGrounded(negated, "finding-" + (out.size() + 1), trackingUid(studyUid, out.size()),
                "negated in the report"));
        return out;
    }

    static String trackingUid(String studyUid, int index) {
        return Uids.derive(studyUid, "1", GROUNDER.name(), GROUNDER.version(), "finding", Integer.toString(index));
    }

    static Code site(String organ) {
        return switch (organ) {
            case "lung_left" -> Code.sct("44029006", "Left lung");
            case "lung_right" -> Code.sct("3341006", "Right lung");
            case "liver" -> Code.sct("10200004", "Liver");
            case "spleen" -> Code.sct("78961009", "Spleen");
            default -> Code.sct("64033007", "Kidney");
        };
    }

    static Laterality side(String organ) {
        return organ.endsWith("_left") ? Laterality.LEFT : organ.endsWith("_right") ? Laterality.RIGHT : Laterality.UNSPECIFIED;
    }

    private static List<SegmentLabel> organLabels() {
        Code anatomy = Code.sct("123037004", "Anatomical Structure");
        return List.of(
                new SegmentLabel(PhantomLabels.LIVER, "liver", anatomy, Code.sct("10200004", "Liver"), new int[] {221, 130, 101}),
                new SegmentLabel(PhantomLabels.SPLEEN, "spleen", anatomy, Code.sct("78961009", "Spleen"), new int[] {157, 108, 162}));
    }
}
