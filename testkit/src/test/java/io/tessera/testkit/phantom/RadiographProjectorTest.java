package io.tessera.testkit.phantom;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class RadiographProjectorTest {

    @Test
    void same_spec_gives_the_same_radiograph() {
        Radiograph a = RadiographProjector.project(PhantomSpec.small(41).withLesionCount(2));
        Radiograph b = RadiographProjector.project(PhantomSpec.small(41).withLesionCount(2));
        assertArrayEquals(a.pixels(), b.pixels());
        assertEquals(a.cardiothoracicRatio(), b.cardiothoracicRatio());
        assertEquals(192, a.width());
        assertEquals(160, a.height());
    }

    @Test
    void lungs_are_dark_and_on_their_own_side_of_a_PA_film() {
        Radiograph r = RadiographProjector.project(PhantomSpec.small(42).withLesionCount(0));
        boolean[] left = r.mask("lung_left"), right = r.mask("lung_right"), heart = r.mask("heart");
        // PA: the patient's right lung is on the viewer's left (low columns)
        assertTrue(meanColumn(right, r.width()) < r.width() / 2.0, "right lung on the image's left");
        assertTrue(meanColumn(left, r.width()) > r.width() / 2.0, "left lung on the image's right");
        double lung = meanValue(r, right), mediastinum = meanValue(r, heart);
        assertTrue(lung + 500 < mediastinum, "air-filled lung much darker than the heart: " + lung + " vs " + mediastinum);
        assertTrue(r.cardiothoracicRatio() > 0.3 && r.cardiothoracicRatio() < 0.7, "ratio " + r.cardiothoracicRatio());
        assertFalse(r.lungNodule());
    }

    @Test
    void a_lung_nodule_is_brighter_than_the_lung_around_it() {
        for (long seed = 100; seed < 140; seed++) {
            Radiograph r = RadiographProjector.project(PhantomSpec.small(seed).withLesionCount(3));
            for (Lesion l : r.lesions()) {
                if (!l.organ().startsWith("lung") || l.diameterMm() < 12) continue;
                double[] p = r.pixelOf(l.centreMm()[0], l.centreMm()[2]);
                int c = (int) p[0], row = (int) p[1];
                int centre = r.pixels()[row * r.width() + c];
                int offset = (int) Math.ceil(l.diameterMm() / r.spacingMm()) + 2;
                int side = r.pixels()[row * r.width() + c + (c < r.width() / 2 ? -offset : offset)];
                assertTrue(r.lungNodule());
                assertTrue(r.mask("lesion")[row * r.width() + c]);
                assertTrue(centre > side + 40, "nodule " + l.diameterMm() + " mm: " + centre + " vs lung beside it " + side);
                return;
            }
        }
        fail("no lung nodule of 12 mm or more in 40 seeds");
    }

    private static double meanColumn(boolean[] m, int w) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < m.length; i++) if (m[i]) { sum += i % w; n++; }
        assertTrue(n > 100, "structure projected");
        return sum / n;
    }

    private static double meanValue(Radiograph r, boolean[] m) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < m.length; i++) if (m[i]) { sum += r.pixels()[i]; n++; }
        return sum / n;
    }
}
