package io.tessera.testkit.phantom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Grid;
import org.junit.jupiter.api.Test;

class PhantomAcquisitionTest {
    private static final PhantomSpec SPEC = new PhantomSpec(3, 48, 48, 40, 8.0, 8.0, 2, 0, 1);

    @Test
    void an_axial_acquisition_on_the_spec_grid_reproduces_the_generated_phantom() {
        Phantom p = PhantomGenerator.generate(SPEC);
        AcquiredPhantom a = PhantomGenerator.acquire(SPEC, PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 48, 48, 8.0,
                PhantomAcquisition.even(40, 8.0), 0));
        assertTrue(a.ct().grid().sameGeometry(p.ct().grid()), a.ct().grid() + " vs " + p.ct().grid());
        int same = 0;
        for (int x = 0; x < p.organs().labels().length; x++) if (p.organs().labels()[x] == a.organs().labels()[x]) same++;
        assertTrue(same >= 0.999 * p.organs().labels().length, "organs agree at " + same);
        double diff = 0;
        for (int x = 0; x < p.ct().voxels().length; x++) diff += Math.abs(p.ct().voxels()[x] - a.ct().voxels()[x]);
        assertTrue(diff / p.ct().voxels().length < 1.0, "mean HU difference " + diff / p.ct().voxels().length);
    }

    @Test
    void sagittal_coronal_oblique_tilted_and_uneven_frames_have_the_asked_geometry() {
        PhantomAcquisition sag = PhantomAcquisition.of(PhantomAcquisition.SAGITTAL, 0, 40, 30, 10.0, PhantomAcquisition.even(5, 20), 0);
        assertArrayEquals(new double[] {-1, 0, 0}, sag.normal(), 1e-12);
        assertArrayEquals(new double[] {40, -195, 145}, sag.positions().get(0), 1e-9, "first frame at patient left");
        PhantomAcquisition cor = PhantomAcquisition.of(PhantomAcquisition.CORONAL, 0, 40, 30, 10.0, PhantomAcquisition.even(5, 20), 0);
        assertArrayEquals(new double[] {0, 1, 0}, cor.normal(), 1e-12);
        PhantomAcquisition obl = PhantomAcquisition.of(PhantomAcquisition.AXIAL, 20, 40, 40, 10.0, PhantomAcquisition.even(5, 20), 0);
        assertEquals(Math.cos(Math.toRadians(20)), obl.normal()[2], 1e-12);
        PhantomAcquisition tilt = PhantomAcquisition.of(PhantomAcquisition.AXIAL, 0, 40, 40, 10.0, PhantomAcquisition.even(5, 20), 15);
        double[] d = new double[3];
        for (int a = 0; a < 3; a++) d[a] = tilt.positions().get(4)[a] - tilt.positions().get(0)[a];
        assertEquals(80, d[2], 1e-9);
        assertEquals(80 * Math.tan(Math.toRadians(15)), d[1], 1e-9);
        assertArrayEquals(new double[] {-6, -3, 3, 6}, PhantomAcquisition.alternating(4, 3, 6), 1e-12, "gaps 3, 6, 3");

        AcquiredPhantom a = PhantomGenerator.acquire(SPEC, sag);
        Grid g = a.ct().grid();
        assertEquals(40, g.nx());
        assertEquals(30, g.ny());
        assertEquals(5, g.nz());
        assertTrue(a.organs().histogram()[2] > 0 && a.organs().histogram()[3] > 0, "the sagittal planes cut both lungs");
    }
}
