package io.tessera.testkit.phantom;

import io.tessera.core.Grid;
import io.tessera.core.LabelMap;
import io.tessera.core.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates deterministic synthetic CT phantoms with organ and lesion truth. Slices are filled in parallel; every random
 * choice comes from the spec's seed (noise from a per-slice stream), so the result does not depend on thread scheduling.
 */
public final class PhantomGenerator {
    private static final long NOISE_STREAM = 0x9E3779B97F4A7C15L;

    private PhantomGenerator() {
    }

    public static Phantom generate(PhantomSpec spec) {
        Grid grid = gridFor(spec);
        Anatomy anatomy = new Anatomy(spec.seed());
        double[] lo = grid.toPatient(-0.5, -0.5, -0.5);
        double[] hi = grid.toPatient(spec.nx() - 0.5, spec.ny() - 0.5, spec.nz() - 0.5);
        List<Lesion> lesions = new LesionPlacer(anatomy, lo, hi)
                .place(spec.lesionCount(), new SplittableRandom(spec.seed() ^ 0x5DEECE66DL));

        float[] hu = new float[grid.voxelCount()];
        byte[] organs = new byte[grid.voxelCount()];
        byte[] lesionMap = new byte[grid.voxelCount()];
        IntStream.range(0, spec.nz()).parallel()
                .forEach(k -> fillSlice(spec, grid, anatomy, lesions, k, hu, organs, lesionMap));
        ReportWriter.Report report = ReportWriter.write(lesions, spec.seed());
        return new Phantom(spec, new Volume(grid, hu), new LabelMap(grid, organs), new LabelMap(grid, lesionMap),
                lesions, report.text(), report.sentences());
    }

    /** The axial LPS grid of a spec, centred on the torso (x = y = 0) and on the scanned length (z = 0). */
    public static Grid gridFor(PhantomSpec spec) {
        double px = spec.pixelSpacingMm(), sz = spec.sliceSpacingMm();
        double[] origin = {-(spec.nx() - 1) * px / 2, -(spec.ny() - 1) * px / 2, -(spec.nz() - 1) * sz / 2};
        return Grid.axial(spec.nx(), spec.ny(), spec.nz(), origin, new double[] {px, px, sz});
    }

    private static void fillSlice(PhantomSpec spec, Grid grid, Anatomy anatomy, List<Lesion> lesions, int k,
                                  float[] hu, byte[] organs, byte[] lesionMap) {
        int s = spec.supersample();
        double px = spec.pixelSpacingMm(), sz = spec.sliceSpacingMm();
        double[] o = grid.origin();
        double z = o[2] + k * sz;
        List<Lesion> near = new ArrayList<>();
        for (Lesion l : lesions) if (Math.abs(l.centreMm()[2] - z) <= l.diameterMm() / 2 + sz) near.add(l);
        double[][] lc = new double[near.size()][];
        double[] lr2 = new double[near.size()];
        for (int n = 0; n < near.size(); n++) {
            lc[n] = near.get(n).centreMm();
            lr2[n] = Math.pow(near.get(n).diameterMm() / 2, 2);
        }
        SplittableRandom noise = new SplittableRandom(spec.seed() * 31 + k * NOISE_STREAM);
        double inv = 1.0 / (s * s * s);
        for (int j = 0; j < spec.ny(); j++) {
            double y = o[1] + j * px;
            for (int i = 0; i < spec.nx(); i++) {
                double x = o[0] + i * px;
                int idx = grid.index(i, j, k);
                Tissue centre = anatomy.at(x, y, z);
                organs[idx] = (byte) centre.label;
                int lesion = lesionAt(x, y, z, lc, lr2);
                if (lesion >= 0) lesionMap[idx] = (byte) near.get(lesion).index();
                double v;
                if (s == 1) {
                    v = lesion >= 0 ? near.get(lesion).hu() : centre.hu;
                } else {
                    v = 0;
                    for (int c = 0; c < s; c++) {
                        double zz = z + ((c + 0.5) / s - 0.5) * sz;
                        for (int b = 0; b < s; b++) {
                            double yy = y + ((b + 0.5) / s - 0.5) * px;
                            for (int a = 0; a < s; a++) {
                                double xx = x + ((a + 0.5) / s - 0.5) * px;
                                int sl = lesionAt(xx, yy, zz, lc, lr2);
                                v += sl >= 0 ? near.get(sl).hu() : anatomy.at(xx, yy, zz).hu;
                            }
                        }
                    }
                    v *= inv;
                }
                if (spec.noiseHu() > 0) v += spec.noiseHu() * noise.nextGaussian();
                hu[idx] = (float) v;
            }
        }
    }

    private static int lesionAt(double x, double y, double z, double[][] lc, double[] lr2) {
        for (int n = 0; n < lc.length; n++) {
            double dx = x - lc[n][0], dy = y - lc[n][1], dz = z - lc[n][2];
            if (dx * dx + dy * dy + dz * dz < lr2[n]) return n;
        }
        return -1;
    }
}
