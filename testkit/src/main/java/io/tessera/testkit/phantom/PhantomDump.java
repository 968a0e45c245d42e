package io.tessera.testkit.phantom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes phantoms as raw files for model training, generated directly on an isotropic grid:
 * {@code case_<i>_image.f32} (float32 little-endian HU, x fastest), {@code case_<i>_label.u8} (organ labels),
 * {@code case_<i>_lesion.u8} (lesion indices), {@code case_<i>.json} (nx, ny, nz, spacing, seed, lesions) and
 * {@code case_<i>_report.json} (the report's sentences with their role and the lesion each describes, for grounding).
 * Noise (4–25 HU), partial-volume sampling (1–3 per axis) and lesion count (0–3) vary per case so a model trained on
 * them copes with both smooth (resampled) and sharp inputs.
 *
 * <p>Usage: {@code java -cp testkit/target/classes:core/target/classes io.tessera.testkit.phantom.PhantomDump
 * OUT_DIR COUNT FIRST_SEED [SPACING_MM=4.0 | small]}; case i uses seed FIRST_SEED + i. {@code small} writes
 * {@link PhantomSpec#small} phantoms (3 mm pixels, 5 mm slices, default noise) for evaluating at native resolution.
 */
public final class PhantomDump {
    private PhantomDump() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: PhantomDump OUT_DIR COUNT FIRST_SEED [SPACING_MM=4.0 | small]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long firstSeed = Long.parseLong(args[2]);
        boolean small = args.length > 3 && args[3].equals("small");
        double spacing = args.length > 3 && !small ? Double.parseDouble(args[3]) : 4.0;
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            long seed = firstSeed + i;
            SplittableRandom r = new SplittableRandom(seed * 7919);
            PhantomSpec spec = small
                    ? PhantomSpec.small(seed)
                    : PhantomSpec.isotropic(seed, spacing, r.nextInt(4), 4 + 21 * r.nextDouble(), 1 + r.nextInt(3));
            write(dir, i, PhantomGenerator.generate(spec));
        }
        System.out.println("wrote " + count + " phantoms to " + dir);
    }

    static void write(Path dir, int i, Phantom p) throws IOException {
        float[] hu = p.ct().voxels();
        ByteBuffer buf = ByteBuffer.allocate(hu.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(hu);
        Files.write(dir.resolve("case_" + i + "_image.f32"), buf.array());
        Files.write(dir.resolve("case_" + i + "_label.u8"), p.organs().labels());
        Files.write(dir.resolve("case_" + i + "_lesion.u8"), p.lesionMap().labels());
        PhantomSpec s = p.spec();
        StringBuilder lesions = new StringBuilder();
        for (Lesion l : p.lesions()) {
            if (lesions.length() > 0) lesions.append(", ");
            double[] c = l.centreMm();
            lesions.append(String.format(Locale.ROOT, "{\"index\": %d, \"organ\": \"%s\", \"centre\": [%.2f, %.2f, %.2f], \"diameter\": %.1f}",
                    l.index(), l.organ(), c[0], c[1], c[2], l.diameterMm()));
        }
        String json = String.format(Locale.ROOT,
                "{\"nx\": %d, \"ny\": %d, \"nz\": %d, \"spacing\": [%s, %s, %s], \"seed\": %d, \"noiseHu\": %.2f, \"supersample\": %d, \"lesions\": [%s]}%n",
                s.nx(), s.ny(), s.nz(), s.pixelSpacingMm(), s.pixelSpacingMm(), s.sliceSpacingMm(), s.seed(), s.noiseHu(),
                s.supersample(), lesions);
        Files.writeString(dir.resolve("case_" + i + ".json"), json);
        Files.writeString(dir.resolve("case_" + i + "_report.json"), reportJson(p));
    }

    /** {"sentences": [{"text": ..., "role": "DESCRIBES_LESION", "lesion": 1}, ...]} */
    static String reportJson(Phantom p) {
        StringBuilder sb = new StringBuilder("{\"sentences\": [");
        for (int n = 0; n < p.reportTruth().size(); n++) {
            ReportSentence s = p.reportTruth().get(n);
            String text = s.text().replace("\\", "\\\\").replace("\"", "\\\"");
            sb.append(n == 0 ? "\n  " : ",\n  ").append(String.format(Locale.ROOT, "{\"text\": \"%s\", \"role\": \"%s\", \"lesion\": %d}",
                    text, s.role(), s.lesionIndex()));
        }
        return sb.append("\n]}\n").toString();
    }
}
