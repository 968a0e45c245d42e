package io.tessera.testkit.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places spherical lesions fully inside their host organ (checked on a shell 3 mm outside the sphere) and inside the
 * scanned field of view, without touching one another.
 */
final class LesionPlacer {
    private static final int[] HOSTS = {
        PhantomLabels.LIVER, PhantomLabels.LIVER, PhantomLabels.LIVER, PhantomLabels.LUNG_RIGHT, PhantomLabels.LUNG_RIGHT,
        PhantomLabels.LUNG_LEFT, PhantomLabels.LUNG_LEFT, PhantomLabels.KIDNEY_LEFT, PhantomLabels.KIDNEY_RIGHT, PhantomLabels.SPLEEN};
    private static final double[][] SHELL = fibonacciSphere(64);

    private final Anatomy anatomy;
    private final double[] fovMin;
    private final double[] fovMax;

    LesionPlacer(Anatomy anatomy, double[] fovMin, double[] fovMax) {
        this.anatomy = anatomy;
        this.fovMin = fovMin.clone();
        this.fovMax = fovMax.clone();
    }

    List<Lesion> place(int count, SplittableRandom r) {
        List<Lesion> out = new ArrayList<>();
        int attempts = 0;
        while (out.size() < count && attempts++ < 50) {
            int host = HOSTS[r.nextInt(HOSTS.length)];
            Lesion l = tryPlace(out.size() + 1, host, r, out);
            if (l != null) out.add(l);
        }
        return out;
    }

    private Lesion tryPlace(int index, int host, SplittableRandom r, List<Lesion> placed) {
        double[] range = switch (host) {
            case PhantomLabels.LIVER -> new double[] {8, 30};
            case PhantomLabels.LUNG_LEFT, PhantomLabels.LUNG_RIGHT -> new double[] {6, 20};
            case PhantomLabels.SPLEEN -> new double[] {8, 18};
            default -> new double[] {8, 20};
        };
        double d = Math.rint((range[0] + (range[1] - range[0]) * r.nextDouble()) * 2) / 2;  // 0.5 mm steps
        Ellipsoid e = anatomy.organ(host);
        for (int t = 0; t < 400; t++) {
            double x = e.cx() + e.ax() * (2 * r.nextDouble() - 1);
            double y = e.cy() + e.ay() * (2 * r.nextDouble() - 1);
            double z = e.cz() + e.az() * (2 * r.nextDouble() - 1);
            if (fits(host, x, y, z, d / 2 + 3, placed)) {
                return describe(index, host, new double[] {x, y, z}, d);
            }
        }
        return null;
    }

    private boolean fits(int host, double x, double y, double z, double radius, List<Lesion> placed) {
        double[] p = {x, y, z};
        for (int a = 0; a < 3; a++) if (p[a] - radius < fovMin[a] || p[a] + radius > fovMax[a]) return false;
        if (anatomy.at(x, y, z).label != host) return false;
        for (double[] u : SHELL) {
            for (double f : new double[] {0.5, 1.0}) {
                if (anatomy.at(x + f * radius * u[0], y + f * radius * u[1], z + f * radius * u[2]).label != host) return false;
            }
        }
        for (Lesion o : placed) {
            double[] c = o.centreMm();
            double dist = Math.sqrt((c[0] - x) * (c[0] - x) + (c[1] - y) * (c[1] - y) + (c[2] - z) * (c[2] - z));
            if (dist < radius + o.diameterMm() / 2 + 3) return false;
        }
        return true;
    }

    private Lesion describe(int index, int host, double[] c, double d) {
        String organ = PhantomLabels.name(host);
        return switch (host) {
            case PhantomLabels.LUNG_LEFT, PhantomLabels.LUNG_RIGHT ->
                    new Lesion(index, organ, lobe(host, c), c, d, 30f, "nodule");
            case PhantomLabels.LIVER ->
                    new Lesion(index, organ, c[0] > -15 ? "left hepatic lobe" : "right hepatic lobe", c, d, 15f, "hypodense lesion");
            case PhantomLabels.SPLEEN -> new Lesion(index, organ, "spleen", c, d, 20f, "hypodense lesion");
            default -> {
                Ellipsoid k = anatomy.organ(host);
                String pole = c[2] > k.cz() + k.az() / 3 ? "upper pole of the " : c[2] < k.cz() - k.az() / 3 ? "lower pole of the " : "";
                String side = host == PhantomLabels.KIDNEY_LEFT ? "left kidney" : "right kidney";
                yield new Lesion(index, organ, pole + side, c, d, 25f, "hypoenhancing lesion");
            }
        };
    }

    /** Lobe by height within the scanned lung (and anterior position for the right middle lobe). */
    private String lobe(int host, double[] c) {
        Ellipsoid lung = anatomy.organ(host);
        double top = Math.min(lung.zMax(), fovMax[2]);
        double f = (c[2] - lung.zMin()) / (top - lung.zMin());
        if (host == PhantomLabels.LUNG_LEFT) return f > 0.5 ? "left upper lobe" : "left lower lobe";
        if (f > 0.6) return "right upper lobe";
        if (f > 0.35 && c[1] < lung.cy()) return "right middle lobe";
        return "right lower lobe";
    }

    private static double[][] fibonacciSphere(int n) {
        double[][] p = new double[n][];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double z = 1 - 2 * (i + 0.5) / n;
            double rad = Math.sqrt(1 - z * z);
            p[i] = new double[] {rad * Math.cos(golden * i), rad * Math.sin(golden * i), z};
        }
        return p;
    }
}
