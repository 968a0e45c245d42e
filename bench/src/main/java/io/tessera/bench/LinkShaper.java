package io.tessera.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP relay that paces each direction of every connection to a given link rate, so that a benchmark on one
 * machine sees the transfer time of a real network link (loopback moves an instance in a fraction of a millisecond; a
 * 1 Gbit/s link takes about 4 ms for a 512×512 CT image). Bytes are relayed in blocks of at most 16 KiB, each released
 * no earlier than the link would have carried it. Latency beyond the transfer time is not modelled.
 */
final class LinkShaper implements AutoCloseable {
    private static final int BLOCK = 16 << 10;
    private static final long SLACK_NANOS = 150_000;

    private final ServerSocket server;
    private final int targetPort;
    private final double nanosPerByte;

    /** Relays 127.0.0.1:{@link #port()} to 127.0.0.1:{@code targetPort} at {@code megabitsPerSecond}. */
    LinkShaper(int targetPort, double megabitsPerSecond) throws IOException {
        this.targetPort = targetPort;
        this.nanosPerByte = 8_000.0 / megabitsPerSecond;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "link-shaper-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
                pump(in, out, "up");
                pump(out, in, "down");
            } catch (IOException e) {
                if (!server.isClosed()) {
                    System.err.println("link shaper: " + e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[BLOCK];
            long linkFreeAt = System.nanoTime();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    long now = System.nanoTime();
                    // the link carries this block after the previous one, starting no earlier than its arrival
                    linkFreeAt = Math.max(linkFreeAt, now) + (long) (n * nanosPerByte);
                    // a park costs tens of microseconds: only wait once the link is more than SLACK behind, so short
                    // reads do not each pay one (the receiver sees the bytes at most SLACK early)
                    for (long wait; (wait = linkFreeAt - System.nanoTime()) > SLACK_NANOS; ) {
                        LockSupport.parkNanos(wait - SLACK_NANOS / 2);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException closed) {
                // either side went away: close both
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }, "link-shaper-" + direction);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
