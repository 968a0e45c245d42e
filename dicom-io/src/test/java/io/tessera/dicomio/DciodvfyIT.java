package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.LabelMap;
import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dicom3tools' dciodvfy is the conformance oracle: zero "Error" lines for every object Tessera writes. */
class DciodvfyIT {
    @TempDir Path dir;

    @Test
    void ct_slices_and_seg_pass_dciodvfy_without_errors() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.obliqueGrid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("it-ct")), dir.resolve("ct"));
        assertClean(ct.get(0));
        assertClean(ct.get(ct.size() - 1));

        SourceSeries src = new SeriesReader().read(ct);
        Path seg = dir.resolve("seg.dcm");
        new SegWriter().write(new Segmentation(src, Fixtures.labels(src.volume().grid()), Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "v1"), seg);
        assertClean(seg);
    }

    @Test
    void an_empty_seg_passes_dciodvfy_without_errors() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("it-empty")), dir.resolve("ct"));
        SourceSeries src = new SeriesReader().read(ct);
        Path seg = dir.resolve("empty.dcm");
        new SegWriter().write(new Segmentation(src, LabelMap.empty(src.volume().grid()), Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "v1"), seg);
        assertClean(seg);
    }

    @Test
    void an_enhanced_ct_and_a_seg_on_its_frames_pass_dciodvfy_without_errors() throws Exception {
        io.tessera.core.Volume ct = Fixtures.ct(Fixtures.obliqueGrid());
        Path mf = new EnhancedCtWriter().write(ct, Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("it-enhanced")),
                dir.resolve("enhanced.dcm"), EnhancedCtWriter.inOrder(ct.grid().nz()));
        assertClean(mf);
        SourceSeries src = new SeriesReader().read(List.of(mf));
        Path seg = dir.resolve("seg-on-enhanced.dcm");
        new SegWriter().write(new Segmentation(src, Fixtures.labels(src.volume().grid()), Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "v1"), seg);
        assertClean(seg);
    }

    static void assertClean(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("dciodvfy", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dciodvfy did not finish");
        assertTrue(out.lines().noneMatch(l -> l.startsWith("Error")), () -> file.getFileName() + ":\n" + out);
        assertEquals(0, p.exitValue(), () -> file.getFileName() + ":\n" + out);
    }
}
