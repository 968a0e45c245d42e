package io.tessera.testkit.phantom.clutter;

import io.tessera.testkit.phantom.PhantomLabels;
import java.util.SplittableRandom;

/**
 * The cluttered phantom's base anatomy, written apart from the project's own phantom so that it shares none of its
 * shapes or numbers: an abdomen (no lungs) with a superellipse body whose habitus ranges from thin to obese (with fat
 * between the organs when obese), a muscle wall, a vertebral body, a contrast-filled aorta and the cava, a liver of two
 * lobes (right lobe and a left lobe reaching across the midline), spleen and kidneys, arms beside the body (some seeds)
 * and a curved CT table under it. Enhancement differs per seed (liver 60–120 HU, aorta 160–350 HU).
 *
 * <p>LPS millimetres: +x patient left, +y posterior, +z superior; the liver's centre is near z = 0.
 */
final class Abdomen {
    enum Part {
        AIR, TABLE, FAT, MUSCLE, CORTEX, MARROW, ABDOMEN, AORTA, CAVA, LIVER, SPLEEN, KIDNEY_LEFT, KIDNEY_RIGHT,
        /** Drawn only with a {@link Thorax}. */
        LUNG_LEFT, LUNG_RIGHT, HEART, MEDIASTINUM, RIB
    }

    final double a, b, p, fat, wall;
    final boolean obese, arms;
    final double armX, armY, armR, tableTop;
    final double spineY, spineR, aortaX, aortaY, aortaR, cavaX, cavaY, cavaR;
    final double[] rightLobeC, rightLobeA, leftLobeC, leftLobeA, spleenC, spleenA, kidneyLC, kidneyRC, kidneyA;
    /** The truth boundary between right and left hepatic lobes (x of the Cantlie plane). */
    final double cantlieX;
    final float[] hu = new float[Part.values().length];
    final int[] label = new int[Part.values().length];
    /** Null unless the scan range reaches into the chest. */
    private final Thorax thorax;

    Abdomen(long seed) {
        this(seed, false);
    }

    Abdomen(long seed, boolean withThorax) {
        SplittableRandom r = new SplittableRandom(seed ^ 0xABD0L);
        a = between(r, 135, 185);
        b = a * between(r, 0.62, 0.88);
        p = 2.0 + 0.5 * r.nextInt(3);   // 2, 2.5 or 3: round to boxy, and cheap to evaluate
        obese = r.nextDouble() < 0.35;
        fat = obese ? between(r, 25, 45) : between(r, 5, 20);
        wall = between(r, 8, 14);
        arms = r.nextDouble() < 0.65;
        armR = between(r, 32, 44);
        armX = a + between(r, 3, 15) + armR;
        armY = between(r, -15, 20);
        tableTop = b + between(r, 2, 10);
        double ia = a - fat - wall, ib = b - fat - wall;
        spineR = between(r, 16, 21);
        spineY = ib - spineR - between(r, 4, 10);
        aortaR = between(r, 9, 13);
        aortaX = between(r, 10, 22);
        aortaY = spineY - spineR - aortaR - between(r, 2, 6);
        cavaR = between(r, 9, 13);
        cavaX = -between(r, 20, 30);
        cavaY = spineY - spineR - cavaR - between(r, 0, 5);
        rightLobeC = new double[] {-ia * between(r, 0.38, 0.48), -ib * between(r, 0.0, 0.15), between(r, -8, 8)};
        rightLobeA = new double[] {ia * between(r, 0.38, 0.46), ib * between(r, 0.55, 0.7), between(r, 70, 88)};
        leftLobeC = new double[] {ia * between(r, 0.0, 0.12), -ib * between(r, 0.35, 0.45), rightLobeC[2] + between(r, 5, 20)};
        leftLobeA = new double[] {ia * between(r, 0.3, 0.4), ib * between(r, 0.22, 0.32), between(r, 40, 55)};
        cantlieX = cavaX + between(r, 10, 20);
        spleenC = new double[] {ia * between(r, 0.55, 0.65), ib * between(r, 0.1, 0.3), between(r, -5, 15)};
        spleenA = new double[] {between(r, 24, 32), between(r, 38, 50), between(r, 45, 58)};
        kidneyLC = new double[] {ia * between(r, 0.33, 0.42), spineY - between(r, 0, 10), between(r, -100, -75)};
        kidneyRC = new double[] {-ia * between(r, 0.33, 0.42), spineY - between(r, 0, 10), kidneyLC[2] - between(r, 5, 20)};
        kidneyA = new double[] {between(r, 24, 30), between(r, 20, 26), between(r, 45, 58)};
        float liver = (float) between(r, 60, 120);
        set(Part.AIR, -1000, PhantomLabels.BACKGROUND);
        set(Part.TABLE, -1000, PhantomLabels.BACKGROUND);   // drawn by table(): shells and foam core
        set(Part.FAT, (float) between(r, -115, -85), PhantomLabels.BODY);
        set(Part.MUSCLE, (float) between(r, 40, 60), PhantomLabels.BODY);
        set(Part.CORTEX, (float) between(r, 600, 900), PhantomLabels.BONE);
        set(Part.MARROW, (float) between(r, 180, 300), PhantomLabels.BONE);
        set(Part.ABDOMEN, obese ? hu[Part.FAT.ordinal()] + 10 : (float) between(r, 15, 40), PhantomLabels.BODY);
        set(Part.AORTA, (float) between(r, 160, 350), PhantomLabels.BODY);
        set(Part.CAVA, (float) between(r, 100, 170), PhantomLabels.BODY);
        set(Part.LIVER, liver, PhantomLabels.LIVER);
        set(Part.SPLEEN, liver + (float) between(r, -5, 20), PhantomLabels.SPLEEN);
        float kidney = (float) between(r, 130, 190);
        set(Part.KIDNEY_LEFT, kidney, PhantomLabels.KIDNEY_LEFT);
        set(Part.KIDNEY_RIGHT, kidney, PhantomLabels.KIDNEY_RIGHT);
        thorax = withThorax ? new Thorax(seed, this, a - fat - wall, b - fat - wall) : null;
    }

    void setThoraxTissue(Part part, float v) {
        int l = switch (part) {
            case LUNG_LEFT -> PhantomLabels.LUNG_LEFT;
            case LUNG_RIGHT -> PhantomLabels.LUNG_RIGHT;
            case RIB -> PhantomLabels.BONE;
            default -> PhantomLabels.BODY;
        };
        set(part, v, l);
    }

    private void set(Part part, float v, int l) {
        hu[part.ordinal()] = v;
        label[part.ordinal()] = l;
    }

    static double between(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /**
     * Half the field of view: body, arms and table plus a margin, but at most 200 mm (a 400 mm display field cuts the
     * arms, as scanners do), so 128 pixels stay near 3 mm.
     */
    double halfFieldMm() {
        return Math.min(200, Math.max(Math.max(a + 12, tableTop + 25), arms ? armX + armR + 8 : 0));
    }

    boolean hasThorax() {
        return thorax != null;
    }

    double liverHu() {
        return hu[Part.LIVER.ordinal()];
    }

    Part at(double x, double y, double z) {
        if (pow(x / a) + pow(y / b) >= 1) return outside(x, y);
        double ia = a - fat, ib = b - fat;
        if (pow(x / ia) + pow(y / ib) >= 1) return Part.FAT;
        double ca = ia - wall, cb = ib - wall;
        if (pow(x / ca) + pow(y / cb) >= 1) return thorax != null && thorax.rib(x, y, z) ? Part.RIB : Part.MUSCLE;
        double sr = x * x + sq(y - spineY);
        if (sr < spineR * spineR) return sr > sq(spineR - 2.5) ? Part.CORTEX : Part.MARROW;
        if (sq(x - aortaX) + sq(y - aortaY) < aortaR * aortaR) return Part.AORTA;
        if (sq(x - cavaX) + sq(y - cavaY) < cavaR * cavaR) return Part.CAVA;
        if (thorax != null) {
            Part chest = thorax.inCavity(x, y, z, spineY, spineR);
            if (chest != null) return chest;
        }
        if (inside(kidneyLC, kidneyA, x, y, z)) return Part.KIDNEY_LEFT;
        if (inside(kidneyRC, kidneyA, x, y, z)) return Part.KIDNEY_RIGHT;
        if (inside(spleenC, spleenA, x, y, z)) return Part.SPLEEN;
        if (inLiver(x, y, z)) return Part.LIVER;
        return Part.ABDOMEN;
    }

    /** |u|^p for p in {2, 2.5, 3} without Math.pow (called millions of times per phantom). */
    private double pow(double u) {
        double q = u * u;
        return p == 2.0 ? q : p == 3.0 ? q * Math.abs(u) : q * Math.sqrt(Math.abs(u));
    }

    boolean inLiver(double x, double y, double z) {
        return inside(rightLobeC, rightLobeA, x, y, z) || inside(leftLobeC, leftLobeA, x, y, z);
    }

    /** Arms (fat rim, muscle, humerus) or the table, else air. */
    private Part outside(double x, double y) {
        if (arms) {
            double ax = Math.abs(x) - armX, ay = y - armY;
            double d = Math.sqrt(ax * ax + sq(ay / 1.1));
            if (d < armR) {
                if (d > armR - 8) return Part.FAT;
                double bone = Math.sqrt(sq(ax - 5) + sq(ay));
                if (bone < 11) return bone > 8 ? Part.CORTEX : Part.MARROW;
                return Part.MUSCLE;
            }
        }
        if (y > tableTop && y < tableTop + 14 && Math.abs(x) < Math.min(230, halfFieldMm() - 4)) return Part.TABLE;
        return Part.AIR;
    }

    /** The table: a carbon-fibre sandwich (dense skins around a foam core) curving up at its edges. */
    float tableHu(double x, double y) {
        double curve = tableTop + 0.0006 * x * x;
        double t = y - curve;
        if (t < 0 || t > 12) return -1000;
        return t < 3 || t > 9 ? 250f : -600f;
    }

    static boolean inside(double[] c, double[] ax, double x, double y, double z) {
        return sq((x - c[0]) / ax[0]) + sq((y - c[1]) / ax[1]) + sq((z - c[2]) / ax[2]) < 1;
    }

    static double sq(double v) {
        return v * v;
    }
}
