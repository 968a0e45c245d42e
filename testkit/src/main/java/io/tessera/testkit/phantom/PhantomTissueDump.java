package io.tessera.testkit.phantom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Writes the phantom's anatomy as a tissue map (not HU) for training with strong randomisation: the training script
 * re-draws the HU of every tissue per sample, warps the anatomy, adds what the phantom lacks (habitus, arms, table,
 * bowel, vessels, cysts, calcifications, focal fat, a second liver lobe) and simulates the acquisition (partial volume,
 * slice thickness, noise). Used only for training dumps: {@link PhantomGenerator}'s phantoms are unchanged.
 *
 * <p>Files per case: {@code case_<i>_tissue.u8} (point-sampled at voxel centres, x fastest: {@link Tissue} ordinal, or
 * 100 + lesion index inside a lesion) and {@code case_<i>.json} (grid, seed, the anatomy's parameters in LPS mm that
 * the script's additions need, lesions with host and HU). {@code tissues.json} lists the tissue names, HU and labels.
 *
 * <p>Usage: {@code java -cp testkit/target/classes:core/target/classes io.tessera.testkit.phantom.PhantomTissueDump
 * OUT_DIR COUNT FIRST_SEED [SPACING_MM=2.0]}; case i uses seed FIRST_SEED + i, the field of view is that of
 * {@link PhantomSpec#isotropic}.
 */
public final class PhantomTissueDump {
    private PhantomTissueDump() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: PhantomTissueDump OUT_DIR COUNT FIRST_SEED [SPACING_MM=2.0]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long firstSeed = Long.parseLong(args[2]);
        double spacing = args.length > 3 ? Double.parseDouble(args[3]) : 2.0;
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tissues.json"), tissuesJson());
        for (int i = 0; i < count; i++) {
            long seed = firstSeed + i;
            int lesions = new SplittableRandom(seed * 7919).nextInt(4);
            write(dir, i, PhantomSpec.isotropic(seed, spacing, lesions, 0, 1));
        }
        System.out.println("wrote " + count + " tissue maps to " + dir);
    }

    static void write(Path dir, int i, PhantomSpec spec) throws IOException {
        var grid = PhantomGenerator.gridFor(spec);
        Anatomy a = new Anatomy(spec.seed());
        double[] lo = grid.toPatient(-0.5, -0.5, -0.5);
        double[] hi = grid.toPatient(spec.nx() - 0.5, spec.ny() - 0.5, spec.nz() - 0.5);
        List<Lesion> lesions = new LesionPlacer(a, lo, hi)
                .place(spec.lesionCount(), new SplittableRandom(spec.seed() ^ 0x5DEECE66DL));
        byte[] tissue = new byte[grid.voxelCount()];
        double[] o = grid.origin();
        double px = spec.pixelSpacingMm(), sz = spec.sliceSpacingMm();
        IntStream.range(0, spec.nz()).parallel().forEach(k -> {
            double z = o[2] + k * sz;
            for (int jj = 0; jj < spec.ny(); jj++) {
                double y = o[1] + jj * px;
                for (int ii = 0; ii < spec.nx(); ii++) {
                    double x = o[0] + ii * px;
                    int v = a.at(x, y, z).ordinal();
                    for (Lesion l : lesions) {
                        double[] c = l.centreMm();
                        double dx = x - c[0], dy = y - c[1], dz = z - c[2], r = l.diameterMm() / 2;
                        if (dx * dx + dy * dy + dz * dz < r * r) v = 100 + l.index();
                    }
                    tissue[grid.index(ii, jj, k)] = (byte) v;
                }
            }
        });
        Files.write(dir.resolve("case_" + i + "_tissue.u8"), tissue);
        StringBuilder ls = new StringBuilder();
        for (Lesion l : lesions) {
            if (ls.length() > 0) ls.append(", ");
            double[] c = l.centreMm();
            ls.append(String.format(Locale.ROOT, "{\"index\": %d, \"organ\": \"%s\", \"centre\": [%.2f, %.2f, %.2f], "
                    + "\"diameter\": %.1f, \"hu\": %.1f}", l.index(), l.organ(), c[0], c[1], c[2], l.diameterMm(), l.hu()));
        }
        String json = String.format(Locale.ROOT, "{\"nx\": %d, \"ny\": %d, \"nz\": %d, \"spacing\": %s, \"origin\": [%.3f, %.3f, %.3f], "
                + "\"seed\": %d, \"torso\": [%.2f, %.2f], \"fat\": %.2f, \"wall\": %.2f, \"spineY\": %.2f, \"diaphragmZ\": %.2f, "
                + "\"liver\": %s, \"spleen\": %s, \"kidneyLeft\": %s, \"kidneyRight\": %s, \"lesions\": [%s]}%n",
                spec.nx(), spec.ny(), spec.nz(), px, o[0], o[1], o[2], spec.seed(), a.torsoA, a.torsoB, a.fat, a.wall,
                a.spineY, a.diaphragmZ, ell(a.liver), ell(a.spleen), ell(a.kidneyLeft), ell(a.kidneyRight), ls);
        Files.writeString(dir.resolve("case_" + i + ".json"), json);
    }

    private static String ell(Ellipsoid e) {
        return String.format(Locale.ROOT, "[%.2f, %.2f, %.2f, %.2f, %.2f, %.2f]", e.cx(), e.cy(), e.cz(), e.ax(), e.ay(), e.az());
    }

    private static String tissuesJson() {
        StringBuilder sb = new StringBuilder("{\"tissues\": [");
        for (Tissue t : Tissue.ALL) {
            sb.append(t.ordinal() == 0 ? "\n  " : ",\n  ").append(String.format(Locale.ROOT,
                    "{\"name\": \"%s\", \"hu\": %.1f, \"label\": %d}", t.name(), t.hu, t.label));
        }
        return sb.append("\n]}\n").toString();
    }
}
