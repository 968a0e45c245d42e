package io.tessera.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command-line peer (dcmtk, dicom3tools) to completion and captures what it printed. */
public final class ExternalTool {
    public record Result(int exitCode, String output) {}

    private ExternalTool() {}

    public static Result run(List<String> command, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** dcmtk storescu with Nagle off (it otherwise waits ~45 ms per instance); {@code -R}: offer the files' own SOP classes. */
    public static Result storescu(String host, int port, String callingAe, String calledAe, List<Path> files)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-R", "-aet", callingAe, "-aec", calledAe, host, Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        return run(cmd, Map.of("TCP_NODELAY", "1"), 300);
    }

    /** dicom3tools' IOD validator; exit code 1 when any {@code Error -} line is printed. */
    public static Result dciodvfy(Path file) throws IOException, InterruptedException {
        return run(List.of("dciodvfy", file.toString()), Map.of(), 120);
    }

    public static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Path.of(dir, tool).toFile().canExecute()) return true;
        }
        return false;
    }
}
