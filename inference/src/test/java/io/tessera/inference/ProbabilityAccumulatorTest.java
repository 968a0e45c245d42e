package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProbabilityAccumulatorTest {
    private final Grid src = Grid.axial(61, 47, 33, new double[] {5, -3, 2}, new double[] {0.7, 0.9, 1.3});
    private final Grid low = Resampler.modelGrid(src, new double[] {4, 4, 4});

    /** Blobs of classes with smooth logits: boundaries everywhere, like a real model's output. */
    private float[] logits(int channels, long seed) {
        Random r = new Random(seed);
        double[][] centre = new double[channels][3];
        for (double[] c : centre) for (int a = 0; a < 3; a++) c[a] = r.nextDouble() * 12;
        int n = low.voxelCount();
        float[] out = new float[channels * n]; // [C, voxels], as one patch covering the whole grid
        for (int k = 0; k < low.nz(); k++)
            for (int j = 0; j < low.ny(); j++)
                for (int i = 0; i < low.nx(); i++)
                    for (int c = 0; c < channels; c++) {
                        double d = Math.pow(i - centre[c][0], 2) + Math.pow(j - centre[c][1], 2) + Math.pow(k - centre[c][2], 2);
                        out[c * n + low.index(i, j, k)] = (float) (-0.3 * d + r.nextGaussian() * 0.5);
                    }
        return out;
    }

    private ProbabilityAccumulator oneWindow(float[] out, int channels) {
        ProbabilityAccumulator acc = new ProbabilityAccumulator(low.nx(), low.ny(), low.nz(), channels);
        int[] patch = {low.nz(), low.ny(), low.nx()};
        float[] weights = BlendingWeights.of(patch, "gaussian");
        acc.add(out, 0, new int[] {0, 0, 0}, patch, weights);
        return acc;
    }

    @Test
    void activating_only_where_classes_meet_gives_the_labels_of_activating_everywhere() throws Exception {
        int channels = 5;
        for (String activation : new String[] {"softmax", "sigmoid", "none"}) {
            float[] out = logits(channels, 11);
            int n = low.voxelCount();
            float[][] full = new float[channels][n];
            float[] v = new float[channels];
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < channels; c++) v[c] = out[c * n + i];
                Activation.voxel(Activation.kind(activation), v, 0, channels);
                for (int c = 0; c < channels; c++) full[c][i] = v[c];
            }
            byte[] expected = ProbabilityToLabels.argmax(full, low, src);

            ProbabilityAccumulator acc = oneWindow(out, channels);
            byte[] nodeArg = acc.finish();
            byte[] fast = ProbabilityToLabels.argmax(acc.probabilities(nodeArg, null, activation), channels, nodeArg, low, src);
            int differ = 0;
            for (int i = 0; i < fast.length; i++) if (fast[i] != expected[i]) differ++;
            assertEquals(0, differ, activation + ": voxels that differ from activating every model voxel");
            long[] histogram = new long[channels];
            for (byte b : fast) histogram[b]++;
            for (long h : histogram) assertTrue(h > 0, "every class present: " + java.util.Arrays.toString(histogram));
        }
    }

    /**
     * What Segmenter does when parts of the grid are final before the last batches (EarlyWork): each part, the rest
     * too, with the classes before the component filters (which run beside the rest), then the cells around the
     * removed nodes again. It must give the labels of doing everything at the end.
     */
    @Test
    void parts_done_early_then_mended_around_removed_nodes_equal_doing_everything_at_the_end() throws Exception {
        int channels = 5, kind = Activation.kind("softmax"), n = low.voxelCount();
        int[] size = {low.nz(), low.ny(), low.nx()}, patch = new int[3];
        for (int a = 0; a < 3; a++) patch[a] = (size[a] * 2 + 2) / 3;
        EarlyWork plan = EarlyWork.plan(SlidingWindow.windows(size, patch, 0.5), 1, low, src);
        assertEquals(List.of(0, 1, 2), plan.parts().stream().map(EarlyWork.Part::axis).toList(), "slices, rows, columns early");
        float[] out = logits(channels, 7);

        ProbabilityAccumulator ref = oneWindow(out, channels);
        byte[] arg = ref.finish();
        byte[] removed = removeAcross(arg, plan);
        byte[] expected = ProbabilityToLabels.argmax(ref.probabilities(arg, removed, "softmax"), channels, arg, low, src);

        byte[] labels = partsThenMended(out, channels, plan, nodeArg -> {
            byte[] r = removeAcross(nodeArg.clone(), plan);
            assertArrayEquals(removed, r, "the same nodes removed");
            return r;
        });
        assertArrayEquals(expected, labels);
    }

    /**
     * Without early parts (the whole grid is the rest) and with small components removed all over the grid: the
     * cells worked out again are limited to the row and column groups around each removal, and the labels are those
     * of doing everything after the filters.
     */
    @Test
    void scattered_small_removals_mended_equal_doing_everything_after_the_filters() throws Exception {
        int channels = 4;
        float[] out = logits(channels, 11);
        ProbabilityAccumulator ref = oneWindow(out, channels);
        byte[] arg = ref.finish();
        byte[] removed = removeScattered(arg, 40, 5);
        byte[] expected = ProbabilityToLabels.argmax(ref.probabilities(arg, removed, "softmax"), channels, arg, low, src);
        byte[] labels = partsThenMended(out, channels, EarlyWork.none(low, src), nodeArg -> {
            byte[] filtered = nodeArg.clone();
            return removeScattered(filtered, 40, 5);
        });
        assertArrayEquals(expected, labels);
    }

    /**
     * Every part of {@code plan} and then the rest worked out with the classes before the filters; then the nodes
     * {@code filter} says were removed become background and the cells around them are worked out again. Asserts
     * that the mending changed something.
     */
    private byte[] partsThenMended(float[] out, int channels, EarlyWork plan,
            java.util.function.Function<byte[], byte[]> filter) throws Exception {
        int kind = Activation.kind("softmax"), n = low.voxelCount();
        ProbabilityAccumulator acc = oneWindow(out, channels);
        byte[] nodeArg = new byte[n];
        float[] probs = new float[n * channels];
        byte[] labels = new byte[src.voxelCount()];
        for (int part = 0; part <= plan.rest(); part++) {
            EarlyWork.Box b = plan.nodes(part), c = plan.cells(part), u = plan.units(part);
            boolean rest = part == plan.rest();
            acc.finishBox(nodeArg, b.from()[0], b.to()[0], b.from()[1], b.to()[1], b.from()[2], b.to()[2], rest);
            acc.activateCells(nodeArg, null, kind, probs, c.from()[0], c.to()[0], c.from()[1], c.to()[1], c.from()[2],
                    c.to()[2], rest);
            ProbabilityToLabels.argmaxRows(probs, channels, nodeArg, low, src, labels, u.from()[0], u.to()[0], u.from()[1],
                    u.to()[1], u.from()[2], u.to()[2], rest);
        }
        byte[] removed = filter.apply(nodeArg);
        for (int v = 0; v < n; v++) if (removed[v] != 0) nodeArg[v] = 0;
        byte[] unmended = labels.clone();
        acc.activateAroundRemoved(removed, kind, probs);
        ProbabilityToLabels.redoAroundRemoved(probs, channels, nodeArg, removed, low, src, labels);
        int mended = 0;
        for (int v = 0; v < labels.length; v++) if (unmended[v] != labels[v]) mended++;
        assertTrue(mended > 0, "the removal changed labels worked out before it");
        return labels;
    }

    /** Takes out {@code count} small blocks (up to {@code size} nodes a side) of non-background nodes, spread by a fixed seed. */
    private byte[] removeScattered(byte[] arg, int count, int size) {
        java.util.Random r = new java.util.Random(5);
        byte[] removed = new byte[arg.length];
        for (int b = 0; b < count; b++) {
            int x0 = r.nextInt(low.nx()), y0 = r.nextInt(low.ny()), z0 = r.nextInt(low.nz()), s = 1 + r.nextInt(size);
            for (int k = z0; k < Math.min(low.nz(), z0 + s); k++)
                for (int j = y0; j < Math.min(low.ny(), y0 + s); j++)
                    for (int i = x0; i < Math.min(low.nx(), x0 + s); i++) {
                        int v = low.index(i, j, k);
                        if (arg[v] != 0) {
                            arg[v] = 0;
                            removed[v] = 1;
                        }
                    }
        }
        return removed;
    }

    /**
     * Takes out (as a component filter would) every node of the class found mid-grid, near the edges of the early
     * parts.
     */
    private byte[] removeAcross(byte[] arg, EarlyWork plan) {
        int[] edge = new int[3];
        for (EarlyWork.Part p : plan.parts()) edge[p.axis()] = p.nodes();
        int c = arg[low.index(edge[2], edge[1], edge[0])];
        byte[] removed = new byte[arg.length];
        for (int k = 0; k < low.nz(); k++)
            for (int j = 0; j < low.ny(); j++)
                for (int i = 0; i < low.nx(); i++) {
                    boolean nearEdge = Math.abs(k - edge[0]) <= 2 || Math.abs(j - edge[1]) <= 2 || Math.abs(i - edge[2]) <= 2;
                    int v = low.index(i, j, k);
                    if (nearEdge && arg[v] == c && c != 0) {
                        arg[v] = 0;
                        removed[v] = 1;
                    }
                }
        return removed;
    }

    @Test
    void blended_outputs_are_divided_by_the_weights_before_the_argmax() throws Exception {
        ProbabilityAccumulator acc = new ProbabilityAccumulator(2, 1, 1, 2);
        int[] patch = {1, 1, 2};
        acc.add(new float[] {1, 0, 0, 1}, 0, new int[] {0, 0, 0}, patch, new float[] {1, 1});
        acc.add(new float[] {3, 0, 0, 1}, 0, new int[] {0, 0, 0}, patch, new float[] {1, 0.25f});
        // sums: channel 0 = {1 + 3, 0}, channel 1 = {0, 1 + 0.25}; weights {2, 1.25}
        byte[] arg = acc.finish();
        assertArrayEquals(new byte[] {0, 1}, arg);
        assertArrayEquals(new float[] {2f, 0f, 0f, 1f}, acc.probabilities(arg, null, "none"), 1e-6f);
    }

    @Test
    void nan_and_infinity_are_refused_and_told_apart() {
        int[] patch = {1, 1, 2};
        ProbabilityAccumulator nan = new ProbabilityAccumulator(2, 1, 1, 2);
        nan.add(new float[] {1, Float.NaN, 0, 1}, 0, new int[] {0, 0, 0}, patch, new float[] {1, 1});
        assertTrue(assertThrows(ProbabilityAccumulator.NotFinite.class, nan::finish).nan);
        ProbabilityAccumulator inf = new ProbabilityAccumulator(2, 1, 1, 2);
        inf.add(new float[] {1, 0, Float.NEGATIVE_INFINITY, 1}, 0, new int[] {0, 0, 0}, patch, new float[] {1, 1});
        assertEquals(false, assertThrows(ProbabilityAccumulator.NotFinite.class, inf::finish).nan);
    }
}
