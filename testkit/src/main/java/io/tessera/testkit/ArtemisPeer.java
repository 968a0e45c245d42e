package io.tessera.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Apache ActiveMQ Artemis broker for integration tests, in its own process ({@link ArtemisBrokerMain}) on a
 * free loopback port, its journal in a temporary folder. {@link #restart()} stops it by its PID and starts it again on
 * the same port and journal (messages survive); {@link #close()} stops it and deletes the folder.
 */
public final class ArtemisPeer implements AutoCloseable {
    private final Path dir;
    private final int port;
    private JavaProcess broker;
    private int starts;

    private ArtemisPeer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static ArtemisPeer start() throws IOException, InterruptedException {
        ArtemisPeer peer = new ArtemisPeer(Files.createTempDirectory("tessera-artemis-"), FreePorts.next());
        peer.launch();
        return peer;
    }

    private void launch() throws IOException, InterruptedException {
        starts++;
        broker = JavaProcess.start(ArtemisBrokerMain.class, List.of("-Xmx256m"),
                List.of(Integer.toString(port), dir.resolve("data").toString()), dir.resolve("broker-" + starts + ".log"));
        try {
            broker.awaitLog(ArtemisBrokerMain.READY, 60);
        } catch (IOException e) {
            broker.close();
            throw new IOException("Artemis broker did not start: " + e.getMessage(), e);
        }
    }

    /** Stops the broker by its PID (clean stop) and starts it again with the same journal and port. */
    public void restart() throws IOException, InterruptedException {
        broker.close();
        launch();
    }

    /** The URL clients connect with. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public long pid() {
        return broker.pid();
    }

    @Override
    public void close() {
        if (broker != null) broker.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: left for the system to clean
        }
    }
}
