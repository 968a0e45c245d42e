package io.tessera.testkit.phantom.clutter;

import io.tessera.testkit.phantom.Lesion;
import io.tessera.testkit.phantom.PhantomLabels;
import io.tessera.testkit.phantom.clutter.Abdomen.Part;
import io.tessera.testkit.phantom.clutter.Target.Appearance;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Places 1–3 target lesions (fully inside their organ, 5 mm apart) and then the distractors of the spec's kinds,
 * each kept at least {@value #CLEARANCE} mm from every target: touching would make "which object is the lesion"
 * undecidable from the image, which is not what these phantoms measure. Everything else is allowed: gas loops over
 * the liver, vessels beside the lesion, cysts as large as a lesion, fat of lesion size.
 */
final class Placement {
    static final double CLEARANCE = 5.0;
    private static final double[][] DIRS = fibonacci(48);

    final List<Target> targets = new ArrayList<>();
    final List<Distractor> distractors = new ArrayList<>();
    private final Abdomen body;
    private final double zLo, zHi;
    private final SplittableRandom r;

    Placement(Abdomen body, double zLo, double zHi, long seed) {
        this.body = body;
        this.zLo = zLo;
        this.zHi = zHi;
        this.r = new SplittableRandom(seed ^ 0x7A46E75L);
    }

    Placement place(ClutterSpec spec) {
        int want = 1 + r.nextInt(3);
        for (int tries = 0; targets.size() < want && tries < 40; tries++) target();
        if (spec.has(ClutterKind.GAS_OVER_ORGAN)) for (int n = 1 + r.nextInt(2); n > 0; n--) bowel(ClutterKind.GAS_OVER_ORGAN, true);
        if (spec.has(ClutterKind.GAS_BESIDE_ORGAN)) for (int n = 2 + r.nextInt(3); n > 0; n--) bowel(ClutterKind.GAS_BESIDE_ORGAN, false);
        if (spec.has(ClutterKind.FLUID_BOWEL)) for (int n = 2 + r.nextInt(2); n > 0; n--) bowel(ClutterKind.FLUID_BOWEL, r.nextBoolean());
        if (spec.has(ClutterKind.CONTRAST_VESSELS)) vessels();
        if (spec.has(ClutterKind.CYSTS)) for (int n = 1 + r.nextInt(3); n > 0; n--) {
            balls(ClutterKind.CYSTS, organOf(r.nextInt(4)), 5, 14, (float) between(-5, 15));
        }
        if (spec.has(ClutterKind.CALCIFICATIONS)) for (int n = 2 + r.nextInt(3); n > 0; n--) {
            balls(ClutterKind.CALCIFICATIONS, r.nextInt(3) == 0 ? Part.SPLEEN : Part.LIVER, 2, 6, (float) between(350, 900));
        }
        if (spec.has(ClutterKind.FOCAL_FAT)) for (int n = 1 + r.nextInt(2); n > 0; n--) fat();
        return this;
    }

    private void target() {
        double u = r.nextDouble();
        Part organ = u < 0.6 ? Part.LIVER : u < 0.8 ? Part.SPLEEN : r.nextBoolean() ? Part.KIDNEY_LEFT : Part.KIDNEY_RIGHT;
        double v = r.nextDouble();
        Appearance a = switch (organ) {
            case LIVER -> v < 0.5 ? Appearance.HYPODENSE : v < 0.65 ? Appearance.CYST : v < 0.85 ? Appearance.ENHANCING : Appearance.CALCIFIED;
            case SPLEEN -> v < 0.5 ? Appearance.HYPODENSE : v < 0.75 ? Appearance.CYST : Appearance.CALCIFIED;
            default -> v < 0.6 ? Appearance.HYPODENSE : Appearance.CYST;
        };
        double d = switch (a) {
            case CALCIFIED -> between(5, 9);
            case CYST -> between(8, 25);
            default -> organ == Part.LIVER ? between(10, 35) : between(10, 22);
        };
        d = Math.rint(d);
        double host = body.hu[organ.ordinal()];
        float hu = (float) switch (a) {
            case HYPODENSE -> Math.max(15, host - between(40, 75));
            case CYST -> between(0, 12);
            case ENHANCING -> host + between(50, 85);
            case CALCIFIED -> between(300, 650);
        };
        for (int t = 0; t < 300; t++) {
            double[] c = pointIn(organ);
            if (c == null || !fits(organ, c, d / 2 + 3)) continue;
            int index = targets.size() + 1;
            String location = location(organ, c);
            String noun = a.name().toLowerCase(java.util.Locale.ROOT);
            int segment = organ == Part.LIVER ? segment(c) : 0;
            targets.add(new Target(new Lesion(index, PhantomLabels.name(body.label[organ.ordinal()]), location, c, d, hu, noun),
                    a, segment));
            return;
        }
    }

    private boolean fits(Part organ, double[] c, double radius) {
        if (c[2] - radius < zLo || c[2] + radius > zHi) return false;
        for (double[] u : DIRS) {
            for (double f : new double[] {0.5, 1.0}) {
                if (body.at(c[0] + f * radius * u[0], c[1] + f * radius * u[1], c[2] + f * radius * u[2]) != organ) return false;
            }
        }
        for (Target o : targets) {
            if (dist(o.lesion().centreMm(), c) < radius + o.lesion().diameterMm() / 2 + CLEARANCE) return false;
        }
        return true;
    }

    /** A distractor is kept only when it stays {@link #CLEARANCE} mm clear of every target. */
    private boolean clear(Shape s) {
        for (Target t : targets) {
            double[] c = t.lesion().centreMm();
            if (s.depth(c[0], c[1], c[2]) > -(t.lesion().diameterMm() / 2 + CLEARANCE)) return false;
        }
        return true;
    }

    private void bowel(ClutterKind kind, boolean over) {
        for (int attempt = 0; attempt < 30; attempt++) {
            double[] start = over ? pointIn(Part.LIVER) : besideAnOrgan();
            if (start == null) continue;
            double radius = kind == ClutterKind.FLUID_BOWEL ? between(6, 11) : between(8, 15);
            List<double[]> pts = new ArrayList<>(List.of(start));
            double[] dir = DIRS[r.nextInt(DIRS.length)];
            for (int n = 0; n < 4 + r.nextInt(5); n++) {
                double[] last = pts.get(pts.size() - 1);
                double step = between(12, 22);
                double[] next = null;
                for (int t = 0; t < 12 && next == null; t++) {
                    double[] turn = DIRS[r.nextInt(DIRS.length)];
                    double[] d = {dir[0] + 0.9 * turn[0], dir[1] + 0.9 * turn[1], 0.5 * (dir[2] + 0.9 * turn[2])};
                    double len = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
                    double[] p = {last[0] + step * d[0] / len, last[1] + step * d[1] / len, last[2] + step * d[2] / len};
                    Part at = body.at(p[0], p[1], p[2]);
                    if (at == Part.ABDOMEN || (over && at == Part.LIVER)) {
                        next = p;
                        dir = new double[] {d[0] / len, d[1] / len, d[2] / len};
                    }
                }
                if (next == null) break;
                pts.add(next);
            }
            if (pts.size() < 3) continue;
            Shape tube = new Shape.Tube(pts.toArray(new double[0][]), radius);
            if (!clear(tube)) continue;
            boolean gas = kind != ClutterKind.FLUID_BOWEL;
            double level = gas && r.nextBoolean() ? start[1] + between(-0.3, 0.5) * radius : Double.POSITIVE_INFINITY;
            float lumen = gas ? (float) between(-980, -850) : (float) between(0, 25);
            distractors.add(new Distractor(kind, tube, lumen, (float) between(30, 55), between(2, 3), level,
                    (float) between(5, 25), over));
            return;
        }
    }

    private void vessels() {
        for (Part organ : new Part[] {Part.LIVER, Part.LIVER, Part.SPLEEN}) {
            double[] hilum = pointIn(organ);
            if (hilum == null) continue;
            for (int n = organ == Part.LIVER ? 2 + r.nextInt(3) : 1 + r.nextInt(2); n > 0; n--) {
                double[] d = DIRS[r.nextInt(DIRS.length)];
                double len = between(35, 70);
                double[] mid = {hilum[0] + d[0] * len / 2, hilum[1] + d[1] * len / 2, hilum[2] + d[2] * len / 2 + between(-5, 5)};
                double[] end = {hilum[0] + d[0] * len, hilum[1] + d[1] * len, hilum[2] + d[2] * len};
                Shape tube = new Shape.Tube(new double[][] {hilum, mid, end}, between(2.5, 6));
                if (clear(tube)) distractors.add(Distractor.solid(ClutterKind.CONTRAST_VESSELS, tube, (float) between(150, 260)));
            }
        }
    }

    private void balls(ClutterKind kind, Part organ, double dMin, double dMax, float hu) {
        for (int t = 0; t < 50; t++) {
            double[] c = pointIn(organ);
            if (c == null) continue;
            Shape ball = new Shape.Ball(c, between(dMin, dMax) / 2);
            if (body.at(c[0], c[1], c[2]) == organ && clear(ball)) {
                distractors.add(Distractor.solid(kind, ball, hu));
                return;
            }
        }
    }

    private void fat() {
        for (int t = 0; t < 50; t++) {
            double[] c = pointIn(Part.LIVER);
            if (c == null) continue;
            Shape blob = new Shape.Blob(c, new double[] {between(6, 14), between(6, 14), between(5, 12)});
            if (clear(blob)) {
                distractors.add(Distractor.solid(ClutterKind.FOCAL_FAT, blob, (float) between(-110, -60)));
                return;
            }
        }
    }

    private Part organOf(int n) {
        return switch (n) {
            case 0, 1 -> Part.LIVER;
            case 2 -> Part.SPLEEN;
            default -> r.nextBoolean() ? Part.KIDNEY_LEFT : Part.KIDNEY_RIGHT;
        };
    }

    /** A random point of the organ inside the scanned length, or null after many misses. */
    private double[] pointIn(Part organ) {
        double[] c, a;
        switch (organ) {
            case LIVER -> {
                boolean right = r.nextDouble() < 0.7;
                c = right ? body.rightLobeC : body.leftLobeC;
                a = right ? body.rightLobeA : body.leftLobeA;
            }
            case SPLEEN -> { c = body.spleenC; a = body.spleenA; }
            case KIDNEY_LEFT -> { c = body.kidneyLC; a = body.kidneyA; }
            default -> { c = body.kidneyRC; a = body.kidneyA; }
        }
        for (int t = 0; t < 200; t++) {
            double[] p = {c[0] + a[0] * (2 * r.nextDouble() - 1), c[1] + a[1] * (2 * r.nextDouble() - 1),
                    c[2] + a[2] * (2 * r.nextDouble() - 1)};
            if (p[2] > zLo + 3 && p[2] < zHi - 3 && body.at(p[0], p[1], p[2]) == organ) return p;
        }
        return null;
    }

    /** A point of the abdominal cavity a few millimetres outside the liver, spleen or a kidney. */
    private double[] besideAnOrgan() {
        for (int t = 0; t < 200; t++) {
            double[] p = pointIn(organOf(r.nextInt(4)));
            if (p == null) continue;
            double[] d = DIRS[r.nextInt(DIRS.length)];
            for (double s = 5; s < 80; s += 5) {
                double[] q = {p[0] + s * d[0], p[1] + s * d[1], p[2] + s * d[2]};
                if (q[2] < zLo || q[2] > zHi) break;
                Part at = body.at(q[0], q[1], q[2]);
                if (at == Part.ABDOMEN) return q;
                if (at != Part.LIVER && at != Part.SPLEEN && at != Part.KIDNEY_LEFT && at != Part.KIDNEY_RIGHT) break;
            }
        }
        return null;
    }

    private String location(Part organ, double[] c) {
        return switch (organ) {
            case LIVER -> c[0] < body.cantlieX ? "right hepatic lobe" : "left hepatic lobe";
            case SPLEEN -> "spleen";
            case KIDNEY_LEFT -> "left kidney";
            default -> "right kidney";
        };
    }

    private int segment(double[] c) {
        boolean superior = c[2] > (body.rightLobeC[2] + body.leftLobeC[2]) / 2;
        if (c[0] < body.cantlieX) {
            boolean posterior = c[1] > body.rightLobeC[1];
            return posterior ? (superior ? 7 : 6) : (superior ? 8 : 5);
        }
        if (c[0] < body.cantlieX + 35) return 4;
        return superior ? 2 : 3;
    }

    private double between(double lo, double hi) {
        return Abdomen.between(r, lo, hi);
    }

    private static double dist(double[] a, double[] b) {
        return Math.sqrt(Abdomen.sq(a[0] - b[0]) + Abdomen.sq(a[1] - b[1]) + Abdomen.sq(a[2] - b[2]));
    }

    private static double[][] fibonacci(int n) {
        double[][] p = new double[n][];
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int i = 0; i < n; i++) {
            double z = 1 - 2 * (i + 0.5) / n, rad = Math.sqrt(1 - z * z);
            p[i] = new double[] {rad * Math.cos(golden * i), rad * Math.sin(golden * i), z};
        }
        return p;
    }
}
