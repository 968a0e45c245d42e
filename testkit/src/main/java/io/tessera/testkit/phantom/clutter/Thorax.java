package io.tessera.testkit.phantom.clutter;

import io.tessera.testkit.phantom.clutter.Abdomen.Part;
import java.util.SplittableRandom;

/**
 * The lower thorax above the cluttered abdomen, drawn only for {@link ScanRange#CHEST_ABDOMEN}. Its own random
 * stream, so the abdomen under it is the one the same seed draws without a thorax (up to what the diaphragm cuts off).
 *
 * <p>The diaphragm is a dome over the abdominal cavity: highest just anterior of the centre, the right dome over the
 * liver higher than the left, dropping 35–55 mm towards the wall so the lungs reach down behind the liver and spleen
 * (the posterior recesses, where a segmentation has to tell lung base from liver dome). Above it: the heart resting on
 * the dome left of the midline, the mediastinum in front of the spine, both lungs in the rest of the cavity. Ribs are
 * slanted bands in the muscle wall from the kidneys up, open at the front (costal cartilage).
 */
final class Thorax {
    private final double zRight, zLeft, drop, domeY, ca, cb;
    private final double heartX, heartY, heartZ, heartA, heartB, heartC;
    private final double ribSpacing, ribThickness, ribSlope, ribPhase, ribFrom;

    Thorax(long seed, Abdomen a, double ca, double cb) {
        SplittableRandom r = new SplittableRandom(seed ^ 0x7407AC5L);
        this.ca = ca;
        this.cb = cb;
        zRight = a.rightLobeC[2] + a.rightLobeA[2] - Abdomen.between(r, 0, 8);
        zLeft = zRight - Abdomen.between(r, 10, 25);
        drop = Abdomen.between(r, 35, 55);
        domeY = -cb * Abdomen.between(r, 0.1, 0.3);
        heartA = Abdomen.between(r, 50, 65);
        heartB = Math.min(cb * 0.45, Abdomen.between(r, 40, 50));
        heartC = Abdomen.between(r, 45, 60);
        heartX = Abdomen.between(r, 10, 30);
        heartY = -cb * 0.3;
        heartZ = zLeft + heartC * 0.8;
        ribSpacing = Abdomen.between(r, 22, 28);
        ribThickness = Abdomen.between(r, 8, 11);
        ribSlope = Abdomen.between(r, 0.2, 0.4);
        ribPhase = Abdomen.between(r, 0, ribSpacing);
        ribFrom = a.kidneyLC[2] + Abdomen.between(r, 10, 30);
        a.setThoraxTissue(Part.LUNG_LEFT, (float) Abdomen.between(r, -900, -780));
        a.setThoraxTissue(Part.LUNG_RIGHT, a.hu[Part.LUNG_LEFT.ordinal()] + (float) Abdomen.between(r, -20, 20));
        a.setThoraxTissue(Part.HEART, (float) Abdomen.between(r, 35, 70));
        a.setThoraxTissue(Part.MEDIASTINUM, r.nextBoolean() ? (float) Abdomen.between(r, -100, -60)
                : (float) Abdomen.between(r, 10, 45));
        a.setThoraxTissue(Part.RIB, (float) Abdomen.between(r, 250, 500));
    }

    /** Height of the diaphragm over a point of the cavity. */
    double diaphragm(double x, double y) {
        double s = 1 / (1 + Math.exp(-x / 20));   // right (x < 0) to left, smoothly across the midline
        double top = zRight + (zLeft - zRight) * s;
        double rho = Math.min(1.3, Abdomen.sq(x / ca) + Abdomen.sq((y - domeY) / cb));
        return top - drop * rho;
    }

    /** What the thorax puts at a point of the abdominal cavity, or null below the diaphragm. */
    Part inCavity(double x, double y, double z, double spineY, double spineR) {
        if (z < diaphragm(x, y)) return null;
        if (Abdomen.sq((x - heartX) / heartA) + Abdomen.sq((y - heartY) / heartB) + Abdomen.sq((z - heartZ) / heartC) < 1) {
            return Part.HEART;
        }
        if (Math.abs(x - 4) < 22 && y < spineY - spineR + 4 && y > -cb * 0.85) return Part.MEDIASTINUM;
        return x < 0 ? Part.LUNG_RIGHT : Part.LUNG_LEFT;
    }

    /** Whether a point of the muscle wall is rib. */
    boolean rib(double x, double y, double z) {
        if (z < ribFrom || (y < 0 && Math.abs(x) < 45)) return false;
        double u = z - ribSlope * y - ribPhase;   // ribs run lower at the front (y < 0 is anterior)
        double m = u - ribSpacing * Math.floor(u / ribSpacing);
        return m < ribThickness;
    }
}
