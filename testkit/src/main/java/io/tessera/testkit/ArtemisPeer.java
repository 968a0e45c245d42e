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
 * the same port and journal (messages survive); {@link #kill()} crashes it ({@code kill -9}) and {@link #startAgain()}
 * brings it back on the same port and journal; {@link #close()} stops it and deletes the folder.
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

    /**
     * Kills the broker by its PID ({@code kill -9}, as in a crash: no clean stop, whatever it had not yet written to
     * its journal is lost), for a test of what clients do while it is away; {@link #startAgain()} brings it back.
     */
    public void kill() throws InterruptedException {
        broker.kill();
        if (broker.isAlive()) throw new IllegalStateException("the broker survived kill -9 (PID " + broker.pid() + ")");
    }

    /** Starts the broker stopped by {@link #kill()} again, on the same port and journal; returns once it is ready. */
    public void startAgain() throws IOException, InterruptedException {
        if (broker.isAlive()) throw new IllegalStateException("the broker is still running (PID " + broker.pid() + ")");
        launch();
    }

    public boolean isAlive() {
        return broker.isAlive();
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
