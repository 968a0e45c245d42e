package io.tessera.dicomio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real test data published on npm, fetched at test time with {@code npm pack} (never committed) and unpacked once into
 * {@code target/npm/<name>-<version>/package}. {@link #fetch} says why when it cannot (no npm, registry unreachable).
 */
final class NpmPackage {
    private NpmPackage() {}

    record Fetched(Path dir, String problem) {}

    static Fetched fetch(String name, String version) {
        Path cache = Path.of("target", "npm", name + "-" + version).toAbsolutePath();
        Path pkg = cache.resolve("package");
        if (Files.isDirectory(pkg)) return new Fetched(pkg, null);
        try {
            Files.createDirectories(cache);
            String out = run(cache, List.of("npm", "pack", name + "@" + version, "--silent"), 180);
            Path tgz = cache.resolve(name + "-" + version + ".tgz");
            if (!Files.isRegularFile(tgz)) return new Fetched(null, "npm pack " + name + "@" + version + " failed: " + out);
            run(cache, List.of("tar", "xzf", tgz.getFileName().toString()), 60);
            return Files.isDirectory(pkg) ? new Fetched(pkg, null) : new Fetched(null, "cannot unpack " + tgz);
        } catch (IOException e) {
            return new Fetched(null, "npm is not available (" + e.getMessage() + "); scripts/bootstrap.sh installs it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Fetched(null, "interrupted");
        }
    }

    private static String run(Path dir, List<String> cmd, long seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return cmd.get(0) + " did not finish in " + seconds + " s (registry unreachable?)";
        }
        return new String(p.getInputStream().readAllBytes());
    }
}
