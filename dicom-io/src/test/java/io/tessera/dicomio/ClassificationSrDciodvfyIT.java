package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.ClassifiedLabel;
import io.tessera.core.Classification;
import io.tessera.core.Code;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SourceSeries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A classifier's answer on a DX image as a TID 1500 SR: dciodvfy finds no error; the tree says what it should. */
class ClassificationSrDciodvfyIT {
    static final ModelIdentity MODEL = new ModelIdentity("cxr-test", "1.0.0", "ab".repeat(32), "cpu");
    @TempDir Path dir;

    @Test
    void classification_report_on_a_radiograph_passes_dciodvfy() throws Exception {
        short[] px = new short[32 * 24];
        for (int i = 0; i < px.length; i++) px[i] = (short) (i % 4096);
        Path dx = new RadiographWriter().write(px, 32, 24, 0.5, ProjectionImageReaderTest.STUDY, new RadiographSpec(
                RadiographSpec.Kind.DX, "1.2.826.0.1.3680043.10.1078.90", "1.2.826.0.1.3680043.10.1078.91", 1, "Chest PA", true,
                1500, 3000), dir.resolve("dx.dcm"));
        ProjectionImage image = new ProjectionImageReader().read(dx);
        SourceSeries src = image.toSourceSeries();
        Classification c = new Classification(MODEL, "sigmoid", image.slice(), List.of(
                new ClassifiedLabel("lung_nodule", "Lung nodule", List.of(new Code("RADLEX", "RID50149", "pulmonary nodule")),
                        0.8731, 0.5, true),
                new ClassifiedLabel("enlarged_heart", "Enlarged cardiac silhouette", List.of(Code.sct("8186001", "Cardiomegaly")),
                        0.12, 0.5, false),
                new ClassifiedLabel("other", "Something without a code", List.of(), 0.5, 0.5, true)));
        Path sr = dir.resolve("sr.dcm");
        SrSpec spec = SrSpec.forClassification(src, MODEL, "1", image.sopInstanceUid());
        SrInfo info = new ClassificationReportWriter().write(src, c, spec, sr);
        assertEquals(3, info.measurementGroups());
        DciodvfyIT.assertClean(sr);
        Process p = new ProcessBuilder("dsrdump", sr.toString()).redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), dump);
        assertTrue(dump.contains("Certainty of Finding") && dump.contains("\"87.3\""), dump);
        assertTrue(dump.contains("(,,\"Cardiomegaly\")=(2667000,SCT,\"Absent\")"), dump);
        assertTrue(dump.contains("(,,\"pulmonary nodule\")=(52101004,SCT,\"Present\")"), dump);
        assertTrue(dump.contains("Digital Radiography"), dump);
    }
}
