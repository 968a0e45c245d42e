package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComponentFilterTest {
    private final Grid grid = Grid.axial(30, 30, 20, new double[] {0, 0, 0}, new double[] {1, 1, 1});

    @Test
    void largest_component_keeps_the_big_blob_and_drops_the_others() {
        LabelMap m = LabelMap.empty(grid);
        box(m, 1, 2, 2, 2, 12, 12, 12);   // 1000 voxels
        box(m, 1, 20, 20, 10, 23, 23, 13); // 27 voxels, separate
        box(m, 2, 20, 2, 2, 22, 4, 4);     // another label: untouched
        box(m, 2, 25, 25, 15, 26, 26, 16); // 1 voxel of label 2
        ComponentFilter.apply(m.labels(), grid, Set.of(1), 0);
        long[] h = m.histogram();
        assertEquals(1000, h[1]);
        assertEquals(9, h[2]);
        assertEquals(1, m.get(2, 2, 2));
        assertEquals(0, m.get(21, 21, 11));
    }

    @Test
    void diagonal_neighbours_are_separate_components() {
        LabelMap m = LabelMap.empty(grid);
        box(m, 1, 0, 0, 0, 2, 2, 2);  // 8 voxels
        box(m, 1, 2, 2, 2, 3, 3, 3);  // 1 voxel touching only at a corner
        ComponentFilter.apply(m.labels(), grid, Set.of(1), 0);
        assertEquals(8, m.histogram()[1]);
    }

    @Test
    void components_below_the_minimum_size_are_removed_for_every_label() {
        LabelMap m = LabelMap.empty(grid);
        box(m, 1, 0, 0, 0, 5, 5, 5);    // 125
        box(m, 1, 10, 10, 10, 12, 12, 12); // 8
        box(m, 3, 20, 0, 0, 22, 2, 2);  // 8
        ComponentFilter.apply(m.labels(), grid, Set.of(), 10);
        long[] h = m.histogram();
        assertEquals(125, h[1]);
        assertEquals(0, h[3]);
    }

    @Test
    void agrees_with_a_plain_flood_fill_on_random_labels() {
        Grid g = Grid.axial(23, 19, 11, new double[] {0, 0, 0}, new double[] {1, 1, 1});
        java.util.Random r = new java.util.Random(7);
        byte[] labels = new byte[g.voxelCount()];
        for (int v = 0; v < labels.length; v++) labels[v] = (byte) (r.nextInt(10) < 4 ? 1 + r.nextInt(2) : 0);
        byte[] expected = labels.clone();
        floodFilter(expected, g, 2, 4); // label 2: largest only; all: at least 4 voxels
        ComponentFilter.apply(labels, g, Set.of(2), 4);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, labels);
    }

    /** Reference: breadth-first flood fill per component, same rules. */
    private static void floodFilter(byte[] labels, Grid g, int largestOnly, long min) {
        int[] comp = new int[labels.length];
        java.util.Arrays.fill(comp, -1);
        java.util.List<int[]> comps = new java.util.ArrayList<>();
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int v = 0; v < labels.length; v++) {
            if (labels[v] == 0 || comp[v] >= 0) continue;
            java.util.ArrayDeque<Integer> q = new java.util.ArrayDeque<>(java.util.List.of(v));
            comp[v] = comps.size();
            int n = 0;
            while (!q.isEmpty()) {
                int u = q.poll();
                n++;
                int x = u % g.nx(), y = (u / g.nx()) % g.ny(), z = u / (g.nx() * g.ny());
                for (int[] d : steps) {
                    int a = x + d[0], b = y + d[1], c = z + d[2];
                    if (a < 0 || b < 0 || c < 0 || a >= g.nx() || b >= g.ny() || c >= g.nz()) continue;
                    int w = g.index(a, b, c);
                    if (labels[w] == labels[v] && comp[w] < 0) {
                        comp[w] = comps.size();
                        q.add(w);
                    }
                }
            }
            comps.add(new int[] {labels[v], n});
        }
        int best = -1;
        for (int c = 0; c < comps.size(); c++) {
            if (comps.get(c)[0] == largestOnly && (best < 0 || comps.get(c)[1] > comps.get(best)[1])) best = c;
        }
        for (int v = 0; v < labels.length; v++) {
            if (labels[v] == 0) continue;
            int[] c = comps.get(comp[v]);
            if (c[1] < min || (c[0] == largestOnly && comp[v] != best)) labels[v] = 0;
        }
    }

    private static void box(LabelMap m, int label, int x0, int y0, int z0, int x1, int y1, int z1) {
        for (int z = z0; z < z1; z++)
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++) m.labels()[m.grid().index(x, y, z)] = (byte) label;
    }
}
