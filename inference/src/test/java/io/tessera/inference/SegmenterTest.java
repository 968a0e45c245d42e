package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with the threshold model (label 1 where HU > 500, label 2 where HU < 200 after a [0, 1000] window):
 * the expected label map is the same thresholds applied at native resolution.
 */
class SegmenterTest {
    private static ModelRegistry registry;
    private final Segmenter segmenter = new Segmenter();

    @BeforeAll
    static void load() {
        registry = ModelRegistry.load(List.of(TestModels.dir("threshold-dynamic").getParent()), InferenceSettings.cpu());
        assertTrue(registry.problems().isEmpty(), registry.problems().toString());
    }

    @AfterAll
    static void close() {
        registry.close();
    }

    @Test
    void reproduces_the_thresholded_map_on_an_anisotropic_volume_of_awkward_size() throws Exception {
        Grid grid = new Grid(83, 71, 27, new double[] {-40, -30, 100}, new double[] {0.8, 0.9, 2.5},
                new double[] {1, 0, 0, 0, 0.96, -0.28, 0, 0.28, 0.96});
        Volume v = smoothPhantom(grid);
        java.util.List<int[]> told = new java.util.ArrayList<>();
        SegmentationOutput out = segmenter.segment(registry.get("test-threshold").orElseThrow(), v,
                (done, total) -> told.add(new int[] {done, total}));
        // progress after each batch: rising, to every window the job ran
        assertTrue(told.size() > 1, "told after each batch: " + told.size());
        for (int i = 1; i < told.size(); i++) assertTrue(told.get(i)[0] > told.get(i - 1)[0]);
        assertEquals(out.patches(), told.get(told.size() - 1)[0]);
        assertEquals(out.patches(), told.get(0)[1]);

        assertTrue(out.labels().grid().sameGeometry(grid));
        LabelMap expected = threshold(v);
        assertTrue(expected.histogram()[1] > 10_000 && expected.histogram()[2] > 10_000, "phantom holds both labels");
        double d1 = out.labels().dice(expected, 1), d2 = out.labels().dice(expected, 2);
        assertTrue(d1 > 0.98 && d2 > 0.98, "dice " + d1 + ", " + d2);
        assertTrue(out.patches() > 1);
        assertTrue(out.ortNanos() > 0 && out.totalNanos() > out.ortNanos());
        assertEquals("test-threshold", out.model().name());
        System.out.printf("threshold-dynamic on %s: %d patches, total %.1f ms, ORT %.1f ms, stages %s%n", grid,
                out.patches(), out.totalNanos() / 1e6, out.ortNanos() / 1e6, out.stageNanos());
    }

    /**
     * A volume left in its files (read slice by slice, the first batch's windows before the model starts and the rest
     * while it runs) segments to exactly the labels of the same volume in memory; a slice that cannot be read fails
     * that job with the reader's reason, and the next job runs.
     */
    @Test
    void a_volume_read_on_demand_gives_the_same_labels_and_an_unreadable_slice_fails_only_its_job() throws Exception {
        Grid grid = Grid.axial(70, 50, 40, new double[] {0, 0, 0}, new double[] {1.0, 1.0, 1.5});
        Volume v = smoothPhantom(grid);
        LoadedModel m = registry.get("test-threshold").orElseThrow();
        byte[] inMemory = segmenter.segment(m, v).labels().labels();
        assertArrayEquals(inMemory, segmenter.segment(m, new SlicedVolume(v).volume()).labels().labels());

        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> segmenter.segment(m, new SlicedVolume(v, grid.nz() - 3).volume()));
        assertTrue(e.getMessage().contains("TSR-0205") && e.getMessage().contains("slice-37.dcm"), e.getMessage());
        assertArrayEquals(inMemory, segmenter.segment(m, v).labels().labels(), "the next job runs as before");
    }

    @Test
    void fixed_shape_model_gives_the_same_answer() throws Exception {
        Grid grid = Grid.axial(70, 50, 20, new double[] {0, 0, 0}, new double[] {1.0, 1.0, 3.0});
        Volume v = smoothPhantom(grid);
        SegmentationOutput out = segmenter.segment(registry.get("test-threshold-fixed").orElseThrow(), v);
        LabelMap expected = threshold(v);
        assertTrue(out.labels().dice(expected, 1) > 0.98);
        assertTrue(out.labels().dice(expected, 2) > 0.98);
    }

    @Test
    void a_volume_smaller_than_one_patch_is_padded() throws Exception {
        Grid grid = Grid.axial(9, 7, 3, new double[] {0, 0, 0}, new double[] {2, 2, 2});
        Volume v = Volume.zeros(grid);
        for (int x = 0; x < v.voxels().length; x++) v.voxels()[x] = x % 9 < 4 ? 900 : 350;
        SegmentationOutput out = segmenter.segment(registry.get("test-threshold").orElseThrow(), v);
        assertEquals(1, out.patches());
        assertEquals(1, out.labels().get(0, 3, 1));
        assertEquals(0, out.labels().get(8, 3, 1));
        assertEquals(4 * 7 * 3, out.labels().histogram()[1]);
    }

    @Test
    void fails_clearly_when_the_model_outputs_nan() {
        Grid grid = Grid.axial(10, 10, 10, new double[] {0, 0, 0}, new double[] {2, 2, 2});
        Volume v = Volume.zeros(grid);
        v.voxels()[123] = Float.NaN;
        InferenceException e = assertThrows(InferenceException.class,
                () -> segmenter.segment(registry.get("test-threshold").orElseThrow(), v));
        assertEquals("TSR-0323: model test-threshold produced NaN outputs", e.getMessage());
    }

    @Test
    void fails_clearly_when_the_output_shape_is_not_the_patch_shape() {
        Grid grid = Grid.axial(10, 10, 10, new double[] {0, 0, 0}, new double[] {2, 2, 2});
        InferenceException e = assertThrows(InferenceException.class,
                () -> segmenter.segment(registry.get("test-broken-strided").orElseThrow(), Volume.zeros(grid)));
        assertEquals("TSR-0322: model test-broken-strided output shape [1, 3, 8, 8, 8], expected [1, 3, 16, 16, 16] (C = labels + 1)",
                e.getMessage());
    }

    @Test
    void results_do_not_depend_on_thread_scheduling() throws Exception {
        Grid grid = Grid.axial(40, 36, 30, new double[] {0, 0, 0}, new double[] {0.7, 0.7, 1.5});
        Volume v = smoothPhantom(grid);
        LoadedModel m = registry.get("test-threshold").orElseThrow();
        byte[] a = segmenter.segment(m, v).labels().labels();
        byte[] b = segmenter.segment(m, v).labels().labels();
        assertTrue(java.util.Arrays.equals(a, b));
    }

    @Test
    void threads_sharing_one_session_get_the_same_result() throws Exception {
        Grid grid = Grid.axial(48, 40, 20, new double[] {0, 0, 0}, new double[] {0.9, 0.9, 2.0});
        Volume v = smoothPhantom(grid);
        LoadedModel m = registry.get("test-threshold").orElseThrow();
        byte[] alone = segmenter.segment(m, v).labels().labels();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<byte[]>> runs = new java.util.ArrayList<>();
            for (int r = 0; r < 3; r++) runs.add(pool.submit(() -> segmenter.segment(m, v).labels().labels()));
            for (var run : runs) assertTrue(java.util.Arrays.equals(alone, run.get()));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A field smooth on the model's 2 mm scale, spanning both thresholds. */
    static Volume smoothPhantom(Grid g) {
        Volume v = Volume.zeros(g);
        for (int k = 0; k < g.nz(); k++)
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.toPatient(i, j, k);
                    v.voxels()[g.index(i, j, k)] = (float) (350 + 400 * Math.sin(p[0] / 14.0) * Math.cos(p[1] / 18.0)
                            + 100 * Math.sin(p[2] / 25.0));
                }
        return v;
    }

    static LabelMap threshold(Volume v) {
        LabelMap m = LabelMap.empty(v.grid());
        for (int x = 0; x < v.voxels().length; x++) {
            float n = Math.max(0, Math.min(1000, v.voxels()[x])) / 1000f;
            m.labels()[x] = (byte) (n > 0.5f ? 1 : n < 0.2f ? 2 : 0);
        }
        return m;
    }
}
