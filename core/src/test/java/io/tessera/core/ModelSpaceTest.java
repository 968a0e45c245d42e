package io.tessera.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSpaceTest {

    /** A series whose voxel value encodes its patient position, so any wrong axis, flip or shift shows. */
    static SourceSeries series(Grid g) {
        Volume v = Volume.zeros(g);
        List<SliceRef> refs = new ArrayList<>();
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++)
                for (int i = 0; i < g.nx(); i++) {
                    double[] p = g.toPatient(i, j, k);
                    v.voxels()[g.index(i, j, k)] = (float) (p[0] + 1000 * p[1] + 1_000_000 * p[2]);
                }
            double[] p = g.toPatient(0, 0, k);
            refs.add(new SliceRef("1.2", "1.2.3." + k, p[0] + "\\" + p[1] + "\\" + p[2], null));
        }
        StudyInfo study = new StudyInfo("1.2.3", "P", "N", "", "", "", "", "", "", "");
        return new SourceSeries(study, "1.2.4", "CT", "", "1", "", "1.2.5", "", "", v, refs);
    }

    @Test
    void an_axial_series_is_its_own_lps_model_space() {
        SourceSeries s = series(Grid.axial(5, 4, 3, new double[] {-10, 20, 30}, new double[] {1, 2, 3}));
        ModelSpace m = ModelSpace.of(s, ModelSpace.Orientation.LPS);
        assertTrue(m.isIdentity());
        assertSame(s.volume(), m.volume());
    }

    @Test
    void sagittal_frames_become_an_exact_permutation_in_lps_and_ras() {
        // rows posterior (+y), columns inferior (-z); normal = row x column = -x (slices from patient left to right)
        Grid sag = new Grid(6, 5, 4, new double[] {12, -8, 40}, new double[] {2, 3, 4}, new double[] {0, 1, 0, 0, 0, -1, -1, 0, 0});
        SourceSeries s = series(sag);
        for (ModelSpace.Orientation o : List.of(ModelSpace.Orientation.LPS, ModelSpace.Orientation.RAS)) {
            ModelSpace m = ModelSpace.of(s, o);
            Grid g = m.grid();
            assertTrue(m.isExactCopy(), "a sagittal grid is a signed permutation of " + o);
            assertEquals(4 * 5 * 6, g.voxelCount());
            assertArrayEquals(new double[] {4, 2, 3}, g.spacing(), 1e-9, "x takes the slice gap, y the row spacing, z the column's");
            Volume v = m.volume();
            for (int k = 0; k < g.nz(); k++)
                for (int j = 0; j < g.ny(); j++)
                    for (int i = 0; i < g.nx(); i++) {
                        double[] p = g.toPatient(i, j, k);
                        assertEquals((float) (p[0] + 1000 * p[1] + 1_000_000 * p[2]), v.get(i, j, k), 0.0, o + " at " + i + "," + j + "," + k);
                    }
            // labels = a function of position come back to the same source pixels
            byte[] l = new byte[g.voxelCount()];
            for (int x = 0; x < l.length; x++) l[x] = (byte) (x % 251);
            LabelMap back = m.toSource(new LabelMap(g, l));
            for (int k = 0; k < sag.nz(); k++)
                for (int j = 0; j < sag.ny(); j++)
                    for (int i = 0; i < sag.nx(); i++) {
                        double[] p = sag.toPatient(i, j, k);
                        int[] c = index(g, p);
                        assertEquals(l[g.index(c[0], c[1], c[2])], back.labels()[sag.index(i, j, k)]);
                    }
        }
        assertArrayEquals(new double[] {-1, 0, 0, 0, -1, 0, 0, 0, 1}, ModelSpace.of(s, ModelSpace.Orientation.RAS).grid().direction());
    }

    @Test
    void orientation_names_parse_and_unknown_ones_are_refused_with_a_code() {
        assertEquals(ModelSpace.Orientation.LPS, ModelSpace.Orientation.parse(null));
        assertEquals(ModelSpace.Orientation.RAS, ModelSpace.Orientation.parse("ras"));
        assertEquals(ModelSpace.Orientation.NATIVE, ModelSpace.Orientation.parse("native"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelSpace.Orientation.parse("LIA"))
                .getMessage().startsWith("TSR-0330"));
    }

    private static int[] index(Grid g, double[] p) {
        int[] c = new int[3];
        for (int a = 0; a < 3; a++) {
            double t = 0;
            for (int x = 0; x < 3; x++) t += (p[x] - g.origin()[x]) * g.direction()[3 * a + x];
            c[a] = (int) Math.round(t / g.spacing()[a]);
        }
        return c;
    }
}
