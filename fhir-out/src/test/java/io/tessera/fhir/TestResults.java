package io.tessera.fhir;

import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SegmentLabel;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import io.tessera.core.Volume;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A small deterministic result: a 4×4×3 CT grid of 10×10×5 mm voxels (0.5 mL each), liver on 9 voxels (4.5 mL),
 * spleen on 3 (1.5 mL), kidney defined by the model but absent.
 */
final class TestResults {
    static final String STUDY_UID = "1.2.826.0.1.3680043.8.498.10001";
    static final String SERIES_UID = "1.2.826.0.1.3680043.8.498.10002";
    static final String SEG_SERIES_UID = "1.2.826.0.1.3680043.8.498.10003";
    static final String SEG_SOP_UID = "1.2.826.0.1.3680043.8.498.10004";
    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final Instant ISSUED = Instant.parse("2024-03-15T11:00:00Z");
    static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    static final FhirResultMapper MAPPER = new FhirResultMapper(FhirResultMapper.DEFAULT_PATIENT_ID_SYSTEM, ZONE);

    private TestResults() {}

    static StudyInfo study(String studyUid, String patientId, String accession) {
        return new StudyInfo(studyUid, patientId, "Doe^Jane^Q", "19700102", "F", accession, "20240315", "101530.25",
                "CT ABDOMEN", "1");
    }

    static Segmentation segmentation() {
        return segmentation(study(STUDY_UID, "PID-001", "ACC123"), SERIES_UID);
    }

    static Segmentation segmentation(StudyInfo study, String seriesUid) {
        Grid grid = Grid.axial(4, 4, 3, new double[] {-20, -20, 0}, new double[] {10, 10, 5});
        List<SliceRef> slices = new ArrayList<>();
        for (int k = 0; k < grid.nz(); k++) {
            slices.add(new SliceRef(CT_IMAGE_STORAGE, seriesUid + "." + (k + 1), "-20\\-20\\" + (5 * k),
                    Path.of("spool", seriesUid + "." + (k + 1) + ".dcm")));
        }
        SourceSeries source = new SourceSeries(study, seriesUid, "CT", "Abdomen 5mm", "2", "ABDOMEN",
                "1.2.826.0.1.3680043.8.498.10005", "1\\0\\0\\0\\1\\0", "10\\10", Volume.zeros(grid), slices);
        byte[] labels = new byte[grid.voxelCount()];
        for (int k = 0; k < 3; k++) for (int i = 0; i < 3; i++) labels[grid.index(i, 0, k)] = 1;
        for (int k = 0; k < 3; k++) labels[grid.index(3, 3, k)] = 2;
        Code organ = Code.sct("123037004", "Anatomical Structure");
        List<SegmentLabel> segments = List.of(
                new SegmentLabel(1, "liver", organ, Code.sct("10200004", "Liver"), new int[] {221, 130, 101}),
                new SegmentLabel(2, "spleen", organ, Code.sct("78961009", "Spleen"), new int[] {157, 108, 162}),
                new SegmentLabel(3, "kidney", organ, Code.sct("64033007", "Kidney"), new int[] {185, 102, 83}));
        ModelIdentity model = new ModelIdentity("abdomen-organs", "1.2.0", "ab".repeat(32), "CPU");
        return new Segmentation(source, new LabelMap(grid, labels), segments, model);
    }

    static SegReference segReference() {
        return SegReference.segmentation(SEG_SERIES_UID, SEG_SOP_UID, 9001,
                "AI segmentation abdomen-organs 1.2.0 - not for clinical use");
    }

    /** The SEG of another study version or study: its own instance UID, as SegSpec derives it in production. */
    static SegReference segReference(String segSopUid) {
        return SegReference.segmentation(SEG_SERIES_UID + ".2", segSopUid, 9001,
                "AI segmentation abdomen-organs 1.2.0 - not for clinical use");
    }

    static FhirResultSet resultSet() {
        return MAPPER.map(segmentation(), segReference(), ISSUED, 1);
    }
}
