package io.tessera.dicomio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * dcmtk {@code storescp} as the receiving peer of the SCU tests, started one way: AE title PEER, every supported
 * transfer syntax ({@code +xa}; dcmtk's default SOP classes include Segmentation Storage), files into {@code received},
 * {@code options} (TLS, ...) before the port, output in {@code storescp-<port>.log} under {@code logDir}.
 */
final class StorescpPeer {
    private StorescpPeer() {}

    static Process start(Path logDir, Path received, int port, String... options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("storescp", "-aet", "PEER", "+xa", "-od", received.toString()));
        cmd.addAll(List.of(options));
        cmd.add(Integer.toString(port));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log(logDir, port).toFile());
        pb.environment().put("TCP_NODELAY", "1"); // dcmtk's own switch; without it each response waits ~40 ms (Nagle)
        return pb.start();
    }

    static Path log(Path logDir, int port) {
        return logDir.resolve("storescp-" + port + ".log");
    }

    /** SIGTERM, then SIGKILL if it is still there after 5 s. */
    static void stop(Process p) throws InterruptedException {
        if (p == null) return;
        p.destroy();
        if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
}
