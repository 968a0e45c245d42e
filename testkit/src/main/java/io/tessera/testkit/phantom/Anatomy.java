package io.tessera.testkit.phantom;

import java.util.SplittableRandom;

/**
 * The phantom's anatomy as a function of patient position (LPS mm, torso centred on x = y = 0, z = 0 mid-length):
 * elliptical torso with subcutaneous fat and a muscle wall, lungs above a domed diaphragm, heart, aorta and cava,
 * vertebral column (cortical shell, cancellous core, discs, neural arch), ribs and sternum, liver (patient right = -x),
 * spleen (left), kidneys (posterior, in perirenal fat). Organ sizes jitter ±10 % and positions ±10 mm by seed.
 *
 * <p>Why analytic: a point query lets the generator supersample any grid for partial-volume realism, and lets lesion
 * placement check containment exactly, without rasterising first.
 */
final class Anatomy {
    private static final double RIB_RADIUS = 7.5;   // 15 mm cross-section: segmentable at 4 mm
    private static final double RIB_PITCH = 24.0;
    private static final int RIB_COUNT = 10;

    final double torsoA, torsoB, fat, wall;
    final double spineY, vertebraR, discZ0;
    final Ellipsoid lungLeft, lungRight, heart, liver, spleen, kidneyLeft, kidneyRight;
    final double aortaX, aortaY, cavaX, cavaY, diaphragmZ, ribZ0;

    Anatomy(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        torsoA = 170 * between(r, 0.95, 1.05);
        torsoB = 120 * between(r, 0.95, 1.05);
        fat = 15 * between(r, 0.75, 1.25);
        wall = 10;
        spineY = 55 + between(r, -5, 5);
        vertebraR = 20 * between(r, 0.92, 1.08);
        discZ0 = between(r, 0, 32);
        ribZ0 = -62 + between(r, -6, 6);
        lungLeft = organ(r, 78, 10, 95, 60, 88, 150);
        lungRight = organ(r, -78, 10, 95, 60, 88, 150);
        heart = organ(r, 22, -35, 50, 62, 50, 55);
        liver = organ(r, -55, -12, -68, 92, 75, 78);
        spleen = organ(r, 95, 8, -58, 28, 45, 48);
        kidneyLeft = organ(r, 68, spineY, -88, 30, 25, 55);
        kidneyRight = organ(r, -68, spineY, -100, 30, 25, 55);
        aortaX = 18 + between(r, -4, 4);
        aortaY = spineY - 38;
        cavaX = -24 + between(r, -4, 4);
        cavaY = spineY - 36;
        diaphragmZ = Math.min(lungLeft.zMin(), lungRight.zMin()) + 10;
    }

    private static double between(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** One size factor per organ (±10 %), a little per-axis shape variation, position ±10 mm. */
    private static Ellipsoid organ(SplittableRandom r, double cx, double cy, double cz, double ax, double ay, double az) {
        double s = between(r, 0.9, 1.1);
        return new Ellipsoid(cx + between(r, -10, 10), cy + between(r, -10, 10), cz + between(r, -10, 10),
                ax * s * between(r, 0.96, 1.04), ay * s * between(r, 0.96, 1.04), az * s * between(r, 0.96, 1.04));
    }

    /** Tissue at a point. Precedence: bone, lungs, kidneys, vessels, spleen, liver, heart, fat planes, soft tissue. */
    Tissue at(double x, double y, double z) {
        double bodyQ = sq(x / torsoA) + sq(y / torsoB);
        if (bodyQ >= 1.0) return Tissue.AIR;
        Tissue bone = bone(x, y, z);
        if (bone != null) return bone;
        double innerA = torsoA - fat, innerB = torsoB - fat;
        double innerQ = sq(x / innerA) + sq(y / innerB);
        if (innerQ >= 1.0) return Tissue.SUBCUTANEOUS_FAT;
        double cavQ = sq(x / (innerA - wall)) + sq(y / (innerB - wall));
        if (cavQ >= 1.0) return Tissue.MUSCLE;
        double lungQ = sq(x / (innerA - wall - 12)) + sq(y / (innerB - wall - 12));
        if (lungQ < 1.0 && Math.abs(x) > 20 && !heart.contains(x, y, z)) {
            if (x > 0 && lungLeft.contains(x, y, z)) return Tissue.LUNG_LEFT;
            if (x < 0 && lungRight.contains(x, y, z)) return Tissue.LUNG_RIGHT;
        }
        if (kidneyLeft.contains(x, y, z)) return Tissue.KIDNEY_LEFT;
        if (kidneyRight.contains(x, y, z)) return Tissue.KIDNEY_RIGHT;
        if (sq(x - aortaX) + sq(y - aortaY) < 144) return Tissue.AORTA;
        if (sq(x - cavaX) + sq(y - cavaY) < 121 && z < heart.cz()) return Tissue.VENA_CAVA;
        if (spleen.contains(x, y, z)) return Tissue.SPLEEN;
        if (liver.contains(x, y, z)) return Tissue.LIVER;
        if (heart.contains(x, y, z)) return Tissue.HEART;
        // Perirenal and perisplenic fat give the abdominal organs the fat planes they have in real CT.
        if (kidneyLeft.q(x, y, z) < 1.5 || kidneyRight.q(x, y, z) < 1.5 || spleen.q(x, y, z) < 1.35) return Tissue.VISCERAL_FAT;
        return z < diaphragmZ ? Tissue.ABDOMEN : Tissue.MEDIASTINUM;
    }

    /** Bone tissue at a point, or null. */
    private Tissue bone(double x, double y, double z) {
        // vertebral body (discs every 32 mm), neural arch around the canal, spinous and transverse processes
        double dy = y - spineY;
        double rr = x * x + dy * dy;
        if (rr < vertebraR * vertebraR) {
            double phase = Math.floorMod((long) Math.floor(z - discZ0), 32L);
            if (phase < 6) return null;
            return rr > sq(vertebraR - 3) ? Tissue.CORTICAL_BONE : Tissue.CANCELLOUS_BONE;
        }
        double canalY = spineY + vertebraR + 8;
        double ca = x * x + sq(y - canalY);
        if (ca < 64) return null;
        if (ca < 15 * 15) return Tissue.CORTICAL_BONE;
        if (Math.abs(x) < 5 && y > canalY + 10 && y < canalY + 32) return Tissue.CORTICAL_BONE;
        if (Math.abs(x) > 12 && Math.abs(x) < 36 && Math.abs(y - canalY + 2) < 6) return Tissue.CANCELLOUS_BONE;
        // sternum
        double innerB = torsoB - fat - wall;
        if (z > diaphragmZ + 20 && Math.abs(x) < 15 && y < -innerB + 14 && y > -innerB - 2) {
            return Math.abs(x) > 12 || y < -innerB + 1 || y > -innerB + 11 ? Tissue.CORTICAL_BONE : Tissue.CANCELLOUS_BONE;
        }
        return rib(x, y, z);
    }

    /** Ribs: tubes along an ellipse just inside the muscle wall, higher posteriorly, open at the front midline. */
    private Tissue rib(double x, double y, double z) {
        double aR = torsoA - fat - wall + 4, bR = torsoB - fat - wall + 4;
        double zRel = z - ribZ0 - 0.2 * y;
        if (zRel < -RIB_RADIUS || zRel > (RIB_COUNT - 1) * RIB_PITCH + RIB_RADIUS) return null;
        if (y < -0.55 * bR && Math.abs(x) < 45) return null;
        double rho = Math.sqrt(x * x + y * y);
        double rq = Math.sqrt(sq(x / aR) + sq(y / bR));
        if (rq == 0) return null;
        double dr = rho * (1 - 1 / rq);
        if (Math.abs(dr) > RIB_RADIUS) return null;
        long i = Math.round(zRel / RIB_PITCH);
        i = Math.max(0, Math.min(RIB_COUNT - 1, i));
        double dz = zRel - i * RIB_PITCH;
        double d2 = dr * dr + dz * dz;
        if (d2 >= RIB_RADIUS * RIB_RADIUS) return null;
        return d2 > sq(RIB_RADIUS - 2) ? Tissue.CORTICAL_BONE : Tissue.CANCELLOUS_BONE;
    }

    Ellipsoid organ(int label) {
        return switch (label) {
            case PhantomLabels.LUNG_LEFT -> lungLeft;
            case PhantomLabels.LUNG_RIGHT -> lungRight;
            case PhantomLabels.LIVER -> liver;
            case PhantomLabels.SPLEEN -> spleen;
            case PhantomLabels.KIDNEY_LEFT -> kidneyLeft;
            case PhantomLabels.KIDNEY_RIGHT -> kidneyRight;
            default -> throw new IllegalArgumentException("TSR-0907: no lesion host for label " + label);
        };
    }

    private static double sq(double v) {
        return v * v;
    }
}
