package io.tessera.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * dcmtk {@code storescu -v} started in the background, its output in a file, so a test can kill or stop the server
 * in the middle of a send and then ask which files the server answered Success for.
 */
final class StorescuRun {
    private StorescuRun() {}

    static Process start(int port, List<Path> files, Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("storescu", "-v", "-aet", "STORESCU", "-aec", "TESSERA", "127.0.0.1",
                Integer.toString(port)));
        files.forEach(f -> cmd.add(f.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("TCP_NODELAY", "1");
        return pb.start();
    }

    /** The file names storescu reported as answered Success. */
    static Set<String> acknowledged(Path storescuOutput) throws IOException {
        Set<String> ok = new HashSet<>();
        String current = null;
        for (String line : Files.readAllLines(storescuOutput, StandardCharsets.UTF_8)) {
            if (line.contains("Sending file: ")) current = Path.of(line.substring(line.indexOf("Sending file: ") + 14).trim())
                    .getFileName().toString();
            if (line.contains("Received Store Response") && line.contains("(Success)") && current != null) ok.add(current);
        }
        return ok;
    }
}
