package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory bar: a 512x512x300 CT segmented within the 2 GB heap Surefire gives this module (-Xmx2g). */
class SegmenterMemoryTest {
    @TempDir Path tmp;

    @Test
    void segments_a_512x512x300_volume_within_a_2_gb_heap() throws Exception {
        TestModels.copy("threshold-dynamic", tmp.resolve("big"), y -> y.replace("patch: [16, 16, 16]", "patch: [64, 64, 64]"));
        Grid grid = Grid.axial(512, 512, 300, new double[] {-180, -180, 0}, new double[] {0.7, 0.7, 1.0});
        Volume v = separablePhantom(grid);
        try (ModelRegistry r = ModelRegistry.load(List.of(tmp), InferenceSettings.cpu())) {
            SegmentationOutput out = new Segmenter().segment(r.get("test-threshold").orElseThrow(), v);
            LabelMap expected = SegmenterTest.threshold(v);
            double d1 = out.labels().dice(expected, 1), d2 = out.labels().dice(expected, 2);
            System.out.printf("512x512x300: %d patches, total %.0f ms, ORT %.0f ms, stages(ms) %s, max heap %d MB%n",
                    out.patches(), out.totalNanos() / 1e6, out.ortNanos() / 1e6,
                    out.stageNanos().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() / 1_000_000).toList(),
                    Runtime.getRuntime().maxMemory() >> 20);
            assertTrue(d1 > 0.98 && d2 > 0.98, "dice " + d1 + ", " + d2);
        }
    }

    /** Same shape of field as {@link SegmenterTest#smoothPhantom}, built from per-axis tables to stay cheap. */
    private static Volume separablePhantom(Grid g) {
        double[] sx = new double[g.nx()], cy = new double[g.ny()], sz = new double[g.nz()];
        for (int i = 0; i < g.nx(); i++) sx[i] = Math.sin(g.toPatient(i, 0, 0)[0] / 14.0);
        for (int j = 0; j < g.ny(); j++) cy[j] = Math.cos(g.toPatient(0, j, 0)[1] / 18.0);
        for (int k = 0; k < g.nz(); k++) sz[k] = Math.sin(g.toPatient(0, 0, k)[2] / 25.0);
        Volume v = Volume.zeros(g);
        float[] a = v.voxels();
        java.util.stream.IntStream.range(0, g.nz()).parallel().forEach(k -> {
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++) a[g.index(i, j, k)] = (float) (350 + 400 * sx[i] * cy[j] + 100 * sz[k]);
        });
        return v;
    }
}
