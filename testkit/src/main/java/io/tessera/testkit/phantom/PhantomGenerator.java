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

    /**
     * The spec's anatomy sampled on any acquisition (orientation, uneven spacing, tilt): point-sampled organ truth and
     * supersampled HU with the spec's noise. Lesions are placed as for {@link #generate} (same seed, same lesions).
     */
    public static AcquiredPhantom acquire(PhantomSpec spec, PhantomAcquisition acq) {
        Grid axial = gridFor(spec);
        Anatomy anatomy = new Anatomy(spec.seed());
        double[] lo = axial.toPatient(-0.5, -0.5, -0.5);
        double[] hi = axial.toPatient(spec.nx() - 0.5, spec.ny() - 0.5, spec.nz() - 0.5);
        List<Lesion> lesions = new LesionPlacer(anatomy, lo, hi)
                .place(spec.lesionCount(), new SplittableRandom(spec.seed() ^ 0x5DEECE66DL));
        int nx = acq.columns(), ny = acq.rows(), nz = acq.positions().size();
        double[] r = acq.row(), c = acq.column(), n = acq.normal();
        double px = acq.pixelSpacingMm();
        List<double[]> pos = acq.positions();
        double thickness = nz < 2 ? px : Math.abs(dot(sub(pos.get(nz - 1), pos.get(0)), n)) / (nz - 1);
        Grid grid = new Grid(nx, ny, nz, pos.get(0), new double[] {px, px, thickness},
                new double[] {r[0], r[1], r[2], c[0], c[1], c[2], n[0], n[1], n[2]});
        float[] hu = new float[grid.voxelCount()];
        byte[] organs = new byte[grid.voxelCount()];
        int s = spec.supersample();
        IntStream.range(0, nz).parallel().forEach(k -> {
            SplittableRandom noise = new SplittableRandom(spec.seed() * 31 + k * NOISE_STREAM);
            double[] o = pos.get(k);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    int idx = grid.index(i, j, k);
                    organs[idx] = (byte) anatomy.at(o[0] + i * px * r[0] + j * px * c[0], o[1] + i * px * r[1] + j * px * c[1],
                            o[2] + i * px * r[2] + j * px * c[2]).label;
                    double v = 0;
                    for (int w = 0; w < s; w++) {
                        for (int b = 0; b < s; b++) {
                            for (int a = 0; a < s; a++) {
                                double di = i + (a + 0.5) / s - 0.5, dj = j + (b + 0.5) / s - 0.5;
                                double dn = ((w + 0.5) / s - 0.5) * thickness;
                                double x = o[0] + di * px * r[0] + dj * px * c[0] + dn * n[0];
                                double y = o[1] + di * px * r[1] + dj * px * c[1] + dn * n[1];
                                double z = o[2] + di * px * r[2] + dj * px * c[2] + dn * n[2];
                                int sl = lesionAt(x, y, z, lesions);
                                v += sl >= 0 ? lesions.get(sl).hu() : anatomy.at(x, y, z).hu;
                            }
                        }
                    }
                    v /= (double) s * s * s;
                    if (spec.noiseHu() > 0) v += spec.noiseHu() * noise.nextGaussian();
                    hu[idx] = (float) v;
                }
            }
        });
        return new AcquiredPhantom(spec, acq, new Volume(grid, hu), new LabelMap(grid, organs));
    }

    /** Organ truth of the spec's anatomy at each pixel centre of {@code frames} (e.g. the frames a reader returned). */
    public static LabelMap organsOn(PhantomSpec spec, Grid grid, java.util.function.IntFunction<double[]> framePosition) {
        Anatomy anatomy = new Anatomy(spec.seed());
        byte[] organs = new byte[grid.voxelCount()];
        double[] d = grid.direction(), sp = grid.spacing();
        IntStream.range(0, grid.nz()).parallel().forEach(k -> {
            double[] o = framePosition.apply(k);
            for (int j = 0; j < grid.ny(); j++) {
                for (int i = 0; i < grid.nx(); i++) {
                    double x = o[0] + i * sp[0] * d[0] + j * sp[1] * d[3];
                    double y = o[1] + i * sp[0] * d[1] + j * sp[1] * d[4];
                    double z = o[2] + i * sp[0] * d[2] + j * sp[1] * d[5];
                    organs[grid.index(i, j, k)] = (byte) anatomy.at(x, y, z).label;
                }
            }
        });
        return new LabelMap(grid, organs);
    }

    private static int lesionAt(double x, double y, double z, List<Lesion> lesions) {
        for (int n = 0; n < lesions.size(); n++) {
            double[] c = lesions.get(n).centreMm();
            double dx = x - c[0], dy = y - c[1], dz = z - c[2], rr = lesions.get(n).diameterMm() / 2;
            if (dx * dx + dy * dy + dz * dz < rr * rr) return n;
        }
        return -1;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
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
