package io.tessera.testkit.phantom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes PA chest radiographs of phantoms as raw files for training a classifier: {@code case_<i>.u16} (uint16
 * little-endian, the 12-bit MONOCHROME2 values, x fastest) and {@code case_<i>.json} (size, spacing, seed, the
 * phantom truth's findings: lung nodule present, cardiothoracic ratio, enlarged heart). Lesion count (0–3) varies
 * by case, drawn from the seed.
 *
 * <p>Usage: {@code java -cp testkit/target/classes:core/target/classes io.tessera.testkit.phantom.RadiographDump
 * OUT_DIR COUNT FIRST_SEED}; case i uses seed FIRST_SEED + i.
 */
public final class RadiographDump {
    private RadiographDump() {
    }

    /** The spec of a training or test case: the CT phantom of that seed with 0–3 lesions. */
    public static PhantomSpec spec(long seed) {
        return PhantomSpec.small(seed).withLesionCount(new SplittableRandom(seed * 7919).nextInt(4));
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: RadiographDump OUT_DIR COUNT FIRST_SEED");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long first = Long.parseLong(args[2]);
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Radiograph r = RadiographProjector.project(spec(first + i));
            ByteBuffer b = ByteBuffer.allocate(r.pixels().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (short v : r.pixels()) b.putShort(v);
            Files.write(dir.resolve("case_" + i + ".u16"), b.array());
            Files.writeString(dir.resolve("case_" + i + ".json"), String.format(Locale.ROOT,
                    "{\"width\": %d, \"height\": %d, \"spacing\": %.3f, \"seed\": %d, \"lesions\": %d, \"lung_nodule\": %b, "
                            + "\"ctr\": %.4f, \"enlarged_heart\": %b}%n",
                    r.width(), r.height(), r.spacingMm(), r.spec().seed(), r.lesions().size(), r.lungNodule(),
                    r.cardiothoracicRatio(), r.enlargedHeart()));
        }
    }
}
