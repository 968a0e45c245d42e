package io.tessera.grounding;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;

/**
 * The in-plane pixel box of a 3D mask on each slice it touches: {@code [i0, j0, i1, j1]}, inclusive, or null on a
 * slice between its first and last that it skips. The prompts of a finding that a promptable model redraws.
 */
record SliceBoxes(int firstSlice, int lastSlice, int[][] boxes) {

    static SliceBoxes of(LabelMap mask) {
        Grid g = mask.grid();
        byte[] m = mask.labels();
        int[][] boxes = new int[g.nz()][];
        int first = g.nz(), last = -1;
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    if (m[g.index(i, j, k)] == 0) continue;
                    int[] b = boxes[k];
                    if (b == null) {
                        boxes[k] = new int[] {i, j, i, j};
                    } else {
                        b[0] = Math.min(b[0], i);
                        b[1] = Math.min(b[1], j);
                        b[2] = Math.max(b[2], i);
                        b[3] = Math.max(b[3], j);
                    }
                    first = Math.min(first, k);
                    last = Math.max(last, k);
                }
            }
        }
        return new SliceBoxes(first, last, boxes);
    }

    int[] box(int k) {
        return boxes[k];
    }
}
