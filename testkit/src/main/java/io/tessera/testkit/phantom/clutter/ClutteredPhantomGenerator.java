package io.tessera.testkit.phantom.clutter;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import io.tessera.testkit.phantom.Lesion;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomSpec;
import io.tessera.testkit.phantom.clutter.Abdomen.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Draws a cluttered abdominal phantom: a second, independent generator built to make grounding fail where the project's
 * own phantom cannot (bowel gas and fluid over and beside organs, enhanced vessels, cysts, calcifications, focal fat,
 * the CT table, arms, body habitus, 0.6–5 mm slices, 6–18 HU noise). Voxel HU averages 2 × 2 in-plane samples and one
 * sample per ~1.25 mm of slice thickness (partial volume); labels and truth maps are taken at voxel centres.
 * Deterministic: the spec's seed fixes everything, slices are filled in parallel from per-slice noise streams.
 */
public final class ClutteredPhantomGenerator {
    private ClutteredPhantomGenerator() {
    }

    public static ClutteredPhantom generate(ClutterSpec spec) {
        Abdomen body = new Abdomen(spec.seed(), spec.range().hasThorax());
        // targets and distractors stay in the abdominal range whatever the scan covers
        double zLo = spec.range().zLo, zHi = spec.range().zHi;
        double thk = spec.sliceMm(), noise = spec.noiseHu();
        int n = spec.size(), nz = (int) Math.round((zHi - zLo) / thk);
        double px = 2 * body.halfFieldMm() / n;
        Grid grid = Grid.axial(n, n, nz, new double[] {-(n - 1) * px / 2, -(n - 1) * px / 2, zLo + thk / 2},
                new double[] {px, px, thk});
        Placement placed = new Placement(body, ScanRange.ABDOMEN.zLo, ScanRange.ABDOMEN.zHi, spec.seed()).place(spec);
        List<Target> targets = placed.targets;
        List<Distractor> distractors = placed.distractors;
        float[] hu = new float[grid.voxelCount()];
        byte[] organs = new byte[hu.length], lesions = new byte[hu.length], clutter = new byte[hu.length];
        int zs = Math.max(1, Math.min(4, (int) Math.round(thk / 1.25)));
        IntStream.range(0, nz).parallel().forEach(k -> {
            SplittableRandom rnd = new SplittableRandom(spec.seed() * 0x9E3779B97F4A7C15L + k);
            double z = zLo + (k + 0.5) * thk;
            List<Distractor> dk = new ArrayList<>();
            for (Distractor d : distractors) if (zOverlap(d.shape(), z, thk)) dk.add(d);
            List<Target> tk = new ArrayList<>();
            for (Target t : targets) if (zOverlap(t.ball(), z, thk)) tk.add(t);
            for (int j = 0; j < n; j++) {
                double y = grid.origin()[1] + j * px;
                for (int i = 0; i < n; i++) {
                    double x = grid.origin()[0] + i * px;
                    int idx = grid.index(i, j, k);
                    Part part = body.at(x, y, z);
                    organs[idx] = (byte) body.label[part.ordinal()];
                    Target t = targetAt(tk, x, y, z);
                    if (t != null) lesions[idx] = (byte) t.lesion().index();
                    Distractor d = t == null ? distractorAt(dk, body, part, x, y, z) : null;
                    if (d != null) clutter[idx] = (byte) (d.kind().ordinal() + 1);
                    double v = 0;
                    for (int c = 0; c < zs; c++)
                        for (int bb = 0; bb < 2; bb++)
                            for (int a = 0; a < 2; a++) {
                                v += value(body, tk, dk, x + (a - 0.5) * px / 2, y + (bb - 0.5) * px / 2,
                                        z + ((c + 0.5) / zs - 0.5) * thk);
                            }
                    hu[idx] = (float) (v / (4 * zs) + noise * rnd.nextGaussian());
                }
            }
        });
        ClutterReport.Report report = ClutterReport.write(spec.seed(), body, targets, distractors);
        List<Lesion> lesionList = targets.stream().map(Target::lesion).toList();
        PhantomSpec asSpec = new PhantomSpec(spec.seed(), n, n, nz, px, thk, lesionList.size(), noise, 1);
        Phantom phantom = new Phantom(asSpec, new Volume(grid, hu), new LabelMap(grid, organs), new LabelMap(grid, lesions),
                lesionList, report.text(), report.sentences().stream().map(ClutterSentence::truth).toList());
        return new ClutteredPhantom(spec, phantom, new LabelMap(grid, clutter), report.sentences(), thk, noise,
                describe(body, thk, noise, px, targets, distractors));
    }

    private static boolean zOverlap(Shape s, double z, double thk) {
        return s.min[2] <= z + thk && s.max[2] >= z - thk;
    }

    private static Target targetAt(List<Target> tk, double x, double y, double z) {
        for (Target t : tk) if (t.ball().contains(x, y, z)) return t;
        return null;
    }

    /** The distractor drawn at a point: bowel over organs (when allowed) or in the cavity; the rest inside organs. */
    private static Distractor distractorAt(List<Distractor> dk, Abdomen body, Part part, double x, double y, double z) {
        boolean organ = part == Part.LIVER || part == Part.SPLEEN || part == Part.KIDNEY_LEFT || part == Part.KIDNEY_RIGHT;
        for (Distractor d : dk) {
            if (!d.shape().near(x, y, z, 0)) continue;
            boolean allowed = d.bowel() ? part == Part.ABDOMEN || (d.overOrgan() && part == Part.LIVER) : organ;
            if (allowed && d.shape().depth(x, y, z) > 0) return d;
        }
        return null;
    }

    private static double value(Abdomen body, List<Target> tk, List<Distractor> dk, double x, double y, double z) {
        Target t = targetAt(tk, x, y, z);
        if (t != null) return t.lesion().hu();
        Part part = body.at(x, y, z);
        Distractor d = distractorAt(dk, body, part, x, y, z);
        if (d != null) return d.hu(y, d.shape().depth(x, y, z));
        return part == Part.TABLE ? body.tableHu(x, y) : body.hu[part.ordinal()];
    }

    private static String describe(Abdomen b, double thk, double noise, double px, List<Target> targets, List<Distractor> ds) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s%s body %.0fx%.0f mm, %s, %.2f mm slices, %.1f mm pixels, "
                + "noise %.0f HU, liver %.0f HU; targets:", b.hasThorax() ? "chest-abdomen, " : "", b.obese ? "obese" : "lean", 2 * b.a, 2 * b.b,
                b.arms ? "arms in view" : "arms up", thk, px, noise, b.liverHu()));
        for (Target t : targets) {
            s.append(String.format(Locale.ROOT, " #%d %s %s %.0f mm %.0f HU", t.lesion().index(),
                    t.appearance().name().toLowerCase(Locale.ROOT), t.lesion().organ(), t.lesion().diameterMm(), t.lesion().hu()));
        }
        s.append("; distractors:");
        for (ClutterKind k : ClutterKind.values()) {
            long c = ds.stream().filter(d -> d.kind() == k).count();
            if (c > 0) s.append(' ').append(c).append(' ').append(k.label());
        }
        return s.toString();
    }
}
