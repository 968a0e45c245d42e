package io.tessera.testkit.phantom;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Projects a phantom's anatomy (and its lesions) from front to back into a PA chest radiograph: along each ray the
 * linear attenuation {@code mu = MU_WATER * (HU + 1000) / 1000} is summed in 1 mm steps (Beer-Lambert: the log of
 * the transmitted intensity), and the line integral is scaled to 12 bits, as a detector's log-processed "for
 * presentation" image is. Gaussian noise from the seed stands for quantum noise. Deterministic for a spec.
 *
 * <p>Why analytic rather than summing the CT voxels: the anatomy answers any point, so the radiograph has its own
 * pixel grid (imager pixel spacing) and the truth is exact where a ray crosses a structure, not a voxel's guess.
 */
public final class RadiographProjector {
    /** Linear attenuation of water at about 60 keV, per mm. */
    static final double MU_WATER = 0.02;
    /** 12-bit value per unit of line integral: the thickest bone path stays below 4095. */
    static final double COUNTS_PER_UNIT = 600;
    static final double NOISE = 18;
    private static final double HALF_DEPTH_MM = 140;   // the torso's half depth is at most ~126 mm

    private RadiographProjector() {
    }

    /** A 2 mm radiograph of the spec's field of view (384 × 320 mm: 192 × 160 pixels). */
    public static Radiograph project(PhantomSpec spec) {
        return project(spec, 2.0);
    }

    public static Radiograph project(PhantomSpec spec, double spacingMm) {
        io.tessera.core.Grid axial = PhantomGenerator.gridFor(spec);
        Anatomy anatomy = new Anatomy(spec.seed());
        double[] lo = axial.toPatient(-0.5, -0.5, -0.5);
        double[] hi = axial.toPatient(spec.nx() - 0.5, spec.ny() - 0.5, spec.nz() - 0.5);
        List<Lesion> lesions = new LesionPlacer(anatomy, lo, hi)
                .place(spec.lesionCount(), new SplittableRandom(spec.seed() ^ 0x5DEECE66DL));
        double widthMm = hi[0] - lo[0], heightMm = hi[2] - lo[2];
        int w = (int) Math.round(widthMm / spacingMm), h = (int) Math.round(heightMm / spacingMm);
        short[] px = new short[w * h];
        Map<String, boolean[]> truth = new HashMap<>();
        for (String k : List.of("lung_left", "lung_right", "heart", "liver", "lesion")) truth.put(k, new boolean[w * h]);
        boolean[] lungL = truth.get("lung_left"), lungR = truth.get("lung_right"), heart = truth.get("heart"),
                liver = truth.get("liver"), lesion = truth.get("lesion");
        IntStream.range(0, h).parallel().forEach(r -> {
            SplittableRandom noise = new SplittableRandom(spec.seed() * 1_000_003L + r);
            double z = heightMm / 2 - (r + 0.5) * spacingMm;
            for (int c = 0; c < w; c++) {
                double x = -widthMm / 2 + (c + 0.5) * spacingMm;
                double sum = 0;
                int i = r * w + c;
                for (double y = -HALF_DEPTH_MM + 0.5; y < HALF_DEPTH_MM; y += 1.0) {
                    int l = lesionAt(x, y, z, lesions);
                    double hu;
                    if (l >= 0) {
                        hu = lesions.get(l).hu();
                        lesion[i] = true;
                    } else {
                        Tissue t = anatomy.at(x, y, z);
                        hu = t.hu;
                        if (t == Tissue.LUNG_LEFT) lungL[i] = true;
                        else if (t == Tissue.LUNG_RIGHT) lungR[i] = true;
                        else if (t == Tissue.HEART) heart[i] = true;
                        else if (t == Tissue.LIVER) liver[i] = true;
                    }
                    sum += MU_WATER * Math.max(0, (hu + 1000) / 1000);
                }
                double v = sum * COUNTS_PER_UNIT + NOISE * noise.nextGaussian();
                px[i] = (short) Math.max(0, Math.min(Radiograph.MAX_VALUE, Math.round(v)));
            }
        });
        double ratio = (double) widest(heart, w, h) / Math.max(1, widestAcross(lungL, lungR, w, h));
        return new Radiograph(spec, w, h, spacingMm, px, truth, lesions, ratio);
    }

    /** The widest row span of a mask, in pixels. */
    static int widest(boolean[] m, int w, int h) {
        int best = 0;
        for (int r = 0; r < h; r++) {
            int first = -1, last = -1;
            for (int c = 0; c < w; c++) if (m[r * w + c]) { if (first < 0) first = c; last = c; }
            if (first >= 0) best = Math.max(best, last - first + 1);
        }
        return best;
    }

    /** The widest row span from the outer edge of one lung to the outer edge of the other. */
    static int widestAcross(boolean[] a, boolean[] b, int w, int h) {
        int best = 0;
        for (int r = 0; r < h; r++) {
            int first = -1, last = -1;
            for (int c = 0; c < w; c++) if (a[r * w + c] || b[r * w + c]) { if (first < 0) first = c; last = c; }
            if (first >= 0) best = Math.max(best, last - first + 1);
        }
        return best;
    }

    private static int lesionAt(double x, double y, double z, List<Lesion> lesions) {
        for (int n = 0; n < lesions.size(); n++) {
            double[] c = lesions.get(n).centreMm();
            double dx = x - c[0], dy = y - c[1], dz = z - c[2], rr = lesions.get(n).diameterMm() / 2;
            if (dx * dx + dy * dy + dz * dz < rr * rr) return n;
        }
        return -1;
    }

}
