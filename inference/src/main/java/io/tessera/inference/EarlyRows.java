package io.tessera.inference;

import io.tessera.core.Grid;
import java.util.List;

/**
 * The model rows that no window left to run can touch: once the batches before them are blended, those rows' sums are
 * final, and their argmax, activation and source-grid labels can be worked out on the core ONNX Runtime leaves idle
 * while the last batches run, instead of after them. The component filters, which need the whole volume, come later:
 * afterwards only the cells with a removed corner are worked out again ({@link ProbabilityAccumulator#activateAroundRemoved},
 * {@link ProbabilityToLabels#redoAroundRemoved}), which gives exactly the labels of doing everything at the end.
 *
 * @param afterBatch the start index (in the window list) of the batch whose blend completes the rows
 * @param rows       model rows {@code 0 .. rows} are final after that blend
 * @param groups     source row groups {@code 0 .. groups} use only those rows
 */
record EarlyRows(int afterBatch, int rows, int groups) {

    /** The earliest batch after which at least one row of cells is final, or null (one row of windows, one batch). */
    static EarlyRows plan(List<int[]> windows, int batchSize, Grid low, Grid src) {
        int n = windows.size();
        int[] minYAfter = new int[n + 1]; // min y start of windows i .. n
        minYAfter[n] = Integer.MAX_VALUE;
        for (int i = n - 1; i >= 0; i--) minYAfter[i] = Math.min(minYAfter[i + 1], windows.get(i)[1]);
        for (int start = 0; start + batchSize < n; start += batchSize) {
            int rows = Math.min(minYAfter[start + batchSize], low.ny());
            if (rows >= 2) {
                int groups = ProbabilityToLabels.groupsWithin(low, src, rows);
                return groups == 0 ? null : new EarlyRows(start, rows, groups);
            }
        }
        return null;
    }

    /** Rows of cells (a cell of row y spans model rows y and y + 1) that lie within the final rows. */
    int cellRows() {
        return rows - 1;
    }
}
