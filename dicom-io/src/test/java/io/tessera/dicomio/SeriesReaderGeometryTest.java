package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.FrameStack;
import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.ModelSpace;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slice order, uneven spacing and gantry tilt: refused or accepted per {@link GeometryPolicy}, positions kept exact. */
class SeriesReaderGeometryTest {
    @TempDir
    Path dir;
    private final CtSeriesWriter writer = new CtSeriesWriter();

    @Test
    void shuffled_and_reversed_files_read_to_the_same_volume() throws Exception {
        List<Path> files = writer.write(Fixtures.ct(Fixtures.obliqueGrid()), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("g1")), dir);
        SourceSeries inOrder = new SeriesReader().read(files);
        List<Path> shuffled = new ArrayList<>(files);
        Collections.shuffle(shuffled, new Random(3));
        List<Path> reversed = new ArrayList<>(files);
        Collections.reverse(reversed);
        for (List<Path> order : List.of(shuffled, reversed)) {
            SourceSeries s = new SeriesReader().read(order);
            assertTrue(s.volume().grid().sameGeometry(inOrder.volume().grid()));
            assertArrayEquals(inOrder.volume().voxels(), s.volume().voxels());
            assertEquals(inOrder.slices(), s.slices());
        }
    }

    @Test
    void uneven_spacing_is_refused_with_the_config_key_or_kept_exact_when_resampling() throws Exception {
        Grid g = Fixtures.grid();
        List<double[]> positions = new ArrayList<>();
        double z = g.origin()[2];
        for (int k = 0; k < g.nz(); k++) {
            positions.add(new double[] {g.origin()[0], g.origin()[1], z});
            z += k % 2 == 0 ? 2.0 : 3.5;
        }
        List<Path> files = writer.write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("g2")), dir, positions);
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> new SeriesReader().read(files));
        assertEquals("TSR-0204", e.code());
        assertTrue(e.getMessage().contains("inference.geometry.irregularSpacing: resample"), e.getMessage());

        SourceSeries s = new SeriesReader(GeometryPolicy.resampling()).read(files);
        FrameStack frames = FrameStack.of(s);
        assertFalse(frames.matches(s.volume().grid()), "uneven frames are not the grid's");
        for (int k = 0; k < g.nz(); k++) assertArrayEquals(positions.get(k), frames.toPatient(0, 0, k), 1e-6);
        ModelSpace space = ModelSpace.of(s, ModelSpace.Orientation.NATIVE);
        assertFalse(space.isIdentity());
        assertEquals((5 * 2.0 + 4 * 3.5) / 9, space.grid().spacing()[2], 1e-6, "mean gap");
        assertResampledMatchesTheFrames(s, space);
    }

    @Test
    void gantry_tilt_is_refused_or_followed_exactly_when_resampling() throws Exception {
        Grid g = Fixtures.grid();
        double tan = Math.tan(Math.toRadians(15));
        List<double[]> positions = new ArrayList<>();
        for (int k = 0; k < g.nz(); k++) {
            double[] p = g.toPatient(0, 0, k);
            positions.add(new double[] {p[0], p[1] + k * g.spacing()[2] * tan, p[2]});
        }
        List<Path> files = writer.write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("g3")), dir, positions);
        SeriesReadException e = assertThrows(SeriesReadException.class, () -> new SeriesReader().read(files));
        assertEquals("TSR-0210", e.code());
        assertTrue(e.getMessage().contains("15.0 degrees"), e.getMessage());
        assertTrue(e.getMessage().contains("inference.geometry.gantryTilt: resample"), e.getMessage());
        assertEquals("TSR-0210", assertThrows(SeriesReadException.class,
                () -> new SeriesReader(new GeometryPolicy(true, false)).read(files)).code());

        SourceSeries s = new SeriesReader(GeometryPolicy.resampling()).read(files);
        assertEquals(15.0, FrameStack.of(s).tiltDegrees(), 0.01);
        assertResampledMatchesTheFrames(s, ModelSpace.of(s, ModelSpace.Orientation.LPS));
    }

    @Test
    void a_seg_on_uneven_slices_is_placed_by_each_frames_own_position_when_references_do_not_match() throws Exception {
        Grid g = Fixtures.grid();
        List<double[]> positions = new ArrayList<>();
        double z = g.origin()[2];
        for (int k = 0; k < g.nz(); k++) {
            positions.add(new double[] {g.origin()[0], g.origin()[1], z});
            z += k % 3 == 0 ? 5.0 : 2.0;
        }
        SourceSeries src = new SeriesReader(GeometryPolicy.resampling()).read(
                writer.write(Fixtures.ct(g), Fixtures.STUDY, Fixtures.ctSpec(Uids.derive("g4")), dir, positions));
        LabelMap truth = Fixtures.labels(src.volume().grid());
        Path seg = dir.resolve("seg.dcm");
        new SegWriter().write(new io.tessera.core.Segmentation(src, truth, Fixtures.LABELS, Fixtures.MODEL),
                SegSpec.forModel(src, Fixtures.MODEL, "1"), seg);
        List<io.tessera.core.SliceRef> renamed = src.slices().stream()
                .map(r -> new io.tessera.core.SliceRef(r.sopClassUid(), r.sopInstanceUid() + ".9", r.imagePositionPatient(), r.file()))
                .toList();
        SourceSeries other = new SourceSeries(src.study(), src.seriesInstanceUid(), src.modality(), src.seriesDescription(),
                src.seriesNumber(), src.bodyPartExamined(), src.frameOfReferenceUid(), src.imageOrientationPatient(),
                src.pixelSpacing(), src.volume(), renamed);
        assertArrayEquals(truth.labels(), new SegReader().readOnto(seg, other, Fixtures.LABELS).labels());
    }

    /**
     * The fixture's HU are linear in i, j and k, so trilinear resampling reproduces them exactly wherever the model grid
     * lies inside the frames; and a label map that is the model grid's own voxel index maps back to every source pixel.
     */
    static void assertResampledMatchesTheFrames(SourceSeries s, ModelSpace space) {
        Volume v = space.volume();
        Grid m = space.grid();
        FrameStack f = FrameStack.of(s);
        // each source pixel centre, looked up in the model grid: nearest model voxel within half a voxel diagonal
        LabelMap all = new LabelMap(m, filled(m.voxelCount()));
        LabelMap back = space.toSource(all);
        for (byte b : back.labels()) assertEquals(1, b, "every source pixel maps into the model grid");
        // a model voxel at a source pixel centre has that pixel's value (linear phantom)
        int checked = 0;
        for (int k = 0; k < f.frames(); k += 3) {
            for (int j = 2; j < f.rows() - 2; j += 5) {
                for (int i = 2; i < f.columns() - 2; i += 5) {
                    double[] p = f.toPatient(i, j, k);
                    int[] c = nearestVoxel(m, p);
                    if (c == null) continue;
                    double[] q = m.toPatient(c[0], c[1], c[2]);
                    if (Math.hypot(Math.hypot(q[0] - p[0], q[1] - p[1]), q[2] - p[2]) > 1e-3) continue;
                    assertEquals(s.volume().voxels()[s.volume().grid().index(i, j, k)], v.get(c[0], c[1], c[2]), 0.05);
                    checked++;
                }
            }
        }
        assertTrue(checked > 0 || !space.isIdentity(), "some source pixels coincide with model voxels");
    }

    private static byte[] filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 1);
        return b;
    }

    private static int[] nearestVoxel(Grid g, double[] p) {
        int[] c = new int[3];
        int[] n = {g.nx(), g.ny(), g.nz()};
        for (int a = 0; a < 3; a++) {
            double t = 0;
            for (int x = 0; x < 3; x++) t += (p[x] - g.origin()[x]) * g.direction()[3 * a + x];
            c[a] = (int) Math.round(t / g.spacing()[a]);
            if (c[a] < 0 || c[a] >= n[a]) return null;
        }
        return c;
    }
}
