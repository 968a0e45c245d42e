package io.tessera.testkit;

import io.tessera.core.Grid;
import io.tessera.core.StudyInfo;
import io.tessera.core.Uids;
import io.tessera.core.Volume;
import io.tessera.dicomio.CtSeriesSpec;
import io.tessera.dicomio.CtSeriesWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic MR study of two sequences acquired together (one frame of reference) on different grids, for models that
 * take several series as channels: a T1 series (96 × 96 × 32 at 2 × 2 × 4 mm) in which the body is bright and a lesion
 * inside it is isointense (invisible), and a FLAIR series (80 × 80 × 22 at 2.4 × 2.4 × 6 mm, shifted by half a voxel)
 * in which the body is almost dark and the lesion bright. Only both together show both; and the lesion is found only
 * where the FLAIR voxels are matched to the T1 grid by patient coordinates. Truth is analytic (an ellipsoid body and a
 * spherical lesion in patient mm), evaluated on the T1 grid by {@link #truthOnT1()}.
 */
public record TwoSequenceMrStudy(StudyInfo study, String t1SeriesUid, List<Path> t1, String flairSeriesUid, List<Path> flair,
                                 Grid t1Grid, double[] bodyCentre, double[] bodyRadii, double[] lesionCentre, double lesionRadius) {
    public static final String T1 = "T1 SE AX", FLAIR = "FLAIR AX";

    /** Writes both series (T1 into {@code dir/t1}, FLAIR into {@code dir/flair}); {@code withFlair} false leaves FLAIR out. */
    public static TwoSequenceMrStudy write(long seed, Path dir, boolean withFlair) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        double[] centre = {r.nextDouble(-8, 8), r.nextDouble(-8, 8), r.nextDouble(-6, 6)};
        double[] radii = {r.nextDouble(62, 74), r.nextDouble(70, 82), r.nextDouble(40, 48)};
        double lesionRadius = r.nextDouble(9, 14);
        // the lesion well inside the body: its centre within 45 % of each radius
        double[] lesion = new double[3];
        for (int a = 0; a < 3; a++) lesion[a] = centre[a] + r.nextDouble(-0.45, 0.45) * radii[a];
        String tag = "two-sequence-mr-" + seed;
        StudyInfo study = new StudyInfo(Uids.derive("tessera-mr-study", tag), "PHANTOM-" + seed, "Phantom^MR" + seed, "19600101",
                "O", "ACCMR" + seed, "20260101", "090000", "MR (synthetic two-sequence phantom)", "1");
        String frame = Uids.derive("tessera-mr-for", tag);
        Grid t1Grid = Grid.axial(96, 96, 32, new double[] {-95, -95, -62}, new double[] {2, 2, 4});
        Grid flairGrid = Grid.axial(80, 80, 22, new double[] {-94.8, -94.8, -63}, new double[] {2.4, 2.4, 6});
        TwoSequenceMrStudy s = new TwoSequenceMrStudy(study, Uids.derive("tessera-mr-t1", tag), null,
                Uids.derive("tessera-mr-flair", tag), null, t1Grid, centre, radii, lesion, lesionRadius);
        CtSeriesWriter w = new CtSeriesWriter();
        List<Path> t1 = w.writeMr(s.render(t1Grid, 600, 600, r.split()), study,
                CtSeriesSpec.of(s.t1SeriesUid(), frame, T1).withSeriesNumber(3).withBodyPart("HEAD"), dir.resolve("t1"));
        List<Path> flair = !withFlair ? List.of() : w.writeMr(s.render(flairGrid, 80, 900, r.split()), study,
                CtSeriesSpec.of(s.flairSeriesUid(), frame, FLAIR).withSeriesNumber(5).withBodyPart("HEAD"), dir.resolve("flair"));
        return new TwoSequenceMrStudy(study, s.t1SeriesUid(), t1, s.flairSeriesUid(), flair, t1Grid, centre, radii, lesion,
                lesionRadius);
    }

    /** 0 outside the body, 1 body, 2 lesion, at patient position {@code p}. */
    public int label(double[] p) {
        double d = 0;
        for (int a = 0; a < 3; a++) d += Math.pow((p[a] - bodyCentre[a]) / bodyRadii[a], 2);
        if (d > 1) return 0;
        double l = 0;
        for (int a = 0; a < 3; a++) l += Math.pow(p[a] - lesionCentre[a], 2);
        return l <= lesionRadius * lesionRadius ? 2 : 1;
    }

    /** The truth labels at the T1 voxel centres. */
    public byte[] truthOnT1() {
        byte[] out = new byte[t1Grid.voxelCount()];
        for (int k = 0; k < t1Grid.nz(); k++) {
            for (int j = 0; j < t1Grid.ny(); j++) {
                for (int i = 0; i < t1Grid.nx(); i++) out[t1Grid.index(i, j, k)] = (byte) label(t1Grid.toPatient(i, j, k));
            }
        }
        return out;
    }

    /** Body and lesion signal on {@code g}, averaged over 2 × 2 × 2 points per voxel (partial volume), plus noise. */
    private Volume render(Grid g, double body, double lesion, SplittableRandom noise) {
        float[] v = new float[g.voxelCount()];
        double[] signal = {0, body, lesion};
        for (int k = 0; k < g.nz(); k++) {
            for (int j = 0; j < g.ny(); j++) {
                for (int i = 0; i < g.nx(); i++) {
                    double sum = 0;
                    for (int s = 0; s < 8; s++) {
                        sum += signal[label(g.toPatient(i - 0.25 + 0.5 * (s & 1), j - 0.25 + 0.5 * ((s >> 1) & 1),
                                k - 0.25 + 0.5 * ((s >> 2) & 1)))];
                    }
                    v[g.index(i, j, k)] = (float) Math.max(0, sum / 8 + noise.nextDouble(-25, 25));
                }
            }
        }
        return new Volume(g, v);
    }
}
