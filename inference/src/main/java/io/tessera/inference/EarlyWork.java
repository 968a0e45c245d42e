package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.List;

/**
 * The parts of the model grid that no window left to run can touch: once the batches before them are blended, their
 * sums are final, and their argmax, activation and source-grid labels can be worked out on the core ONNX Runtime leaves
 * idle while the last batches run, instead of after them. Two parts, in this order: the first model slices (windows
 * run slowest along z, so the slices below the last row of windows are final first), then the first model rows of the
 * other slices. The component filters, which need the whole volume, come later: afterwards only the cells with a
 * removed corner are worked out again ({@link ProbabilityAccumulator#activateAroundRemoved},
 * {@link ProbabilityToLabels#redoAroundRemoved}), which gives exactly the labels of doing everything at the end.
 *
 * @param slices model slices {@code 0 .. slices.nodes()} (all rows), or null
 * @param rows   model rows {@code 0 .. rows.nodes()} of the other slices, or null
 */
record EarlyWork(Part slices, Part rows) {

    /**
     * @param afterBatch the start index (in the window list) of the batch whose blend makes the part final
     * @param nodes      how many model slices (or rows) from the first are final
     * @param units      how many source slices (or row groups) from the first use only those
     */
    record Part(int afterBatch, int nodes, int units) {
        /** Layers (or rows) of cells within the part: a cell spans two neighbouring model slices (rows). */
        int cells() {
            return nodes - 1;
        }
    }

    /** The plan for these windows (z slowest), or null when no part is final before the last batch. */
    static EarlyWork plan(List<int[]> windows, int batchSize, Grid low, Grid src) {
        Part slices = part(windows, batchSize, 0, low.nz(), n -> ProbabilityToLabels.slicesWithin(low, src, n));
        Part rows = part(windows, batchSize, 1, low.ny(), n -> ProbabilityToLabels.groupsWithin(low, src, n));
        if (slices != null && rows != null && rows.afterBatch() < slices.afterBatch()) rows = null; // keep the order
        return slices == null && rows == null ? null : new EarlyWork(slices, rows);
    }

    /** The earliest batch after which the first nodes (at least two) along {@code axis} (0 z, 1 y) are final. */
    private static Part part(List<int[]> windows, int batchSize, int axis, int size, java.util.function.IntUnaryOperator units) {
        int n = windows.size();
        int[] minAfter = new int[n + 1]; // min start along the axis of windows i .. n
        minAfter[n] = Integer.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) minAfter[i] = Math.min(minAfter[i + 1], windows.get(i)[axis]);
        for (int start = 0; start + batchSize < n; start += batchSize) {
            int nodes = Math.min(minAfter[start + batchSize], size);
            if (nodes >= 2) {
                int u = units.applyAsInt(nodes);
                return u == 0 ? null : new Part(start, nodes, u);
            }
        }
        return null;
    }

    /** Model slices final early (0 if none). */
    int sliceNodes() {
        return slices == null ? 0 : slices.nodes();
    }

    /** Model rows final early in the other slices (0 if none). */
    int rowNodes() {
        return rows == null ? 0 : rows.nodes();
    }
}
