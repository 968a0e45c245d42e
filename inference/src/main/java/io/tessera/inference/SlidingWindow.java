package io.tessera.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * Window positions over a [Z, Y, X] grid: steps of {@code patch * (1 - overlap)}, the last window aligned to the
 * end. An axis shorter than the patch gets one window at 0; the part past the grid is padding.
 */
final class SlidingWindow {

    static int[] starts(int n, int patch, double overlap) {
        if (n <= patch) return new int[] {0};
        int step = Math.max(1, (int) Math.round(patch * (1 - overlap)));
        List<Integer> s = new ArrayList<>();
        for (int p = 0; p + patch < n; p += step) s.add(p);
        s.add(n - patch);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every window start as {z, y, x}, z slowest. */
    static List<int[]> windows(int[] sizeZyx, int[] patchZyx, double overlap) {
        int[] z = starts(sizeZyx[0], patchZyx[0], overlap);
        int[] y = starts(sizeZyx[1], patchZyx[1], overlap);
        int[] x = starts(sizeZyx[2], patchZyx[2], overlap);
        List<int[]> w = new ArrayList<>(z.length * y.length * x.length);
        for (int a : z) for (int b : y) for (int c : x) w.add(new int[] {a, b, c});
        return w;
    }

    private SlidingWindow() {}
}
