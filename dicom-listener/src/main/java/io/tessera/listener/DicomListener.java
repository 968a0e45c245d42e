package io.tessera.listener;

import com.pixelmed.network.AnyExplicitStorePresentationContextSelectionPolicy;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tessera's C-STORE and C-ECHO SCP. Accepts on its own server socket bound to the configured address, runs one
 * PixelMed association per connection, and acknowledges an instance only once it is durable in the spool and
 * indexed (see {@link AssociationSession}).
 */
public final class DicomListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomListener.class);
    /** A stalled peer must not pin a session thread forever. */
    private static final int READ_TIMEOUT_MS = (int) Duration.ofMinutes(2).toMillis();

    private final ListenerSettings settings;
    private final StudyIndex index;
    private final ListenerStats stats = new ListenerStats();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final PresentationContextSelectionPolicy policy = new AnyExplicitStorePresentationContextSelectionPolicy();
    private ServerSocket server;
    private ExecutorService sessions;
    private Thread acceptor;
    private SpoolWriter spool;

    public DicomListener(ListenerSettings settings, StudyIndex index) {
        this.settings = settings;
        this.index = index;
    }

    /** Binds and starts accepting; returns once the port is bound. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("TSR-0220: listener already started");
        }
        try {
            spool = new SpoolWriter(settings.spoolDir(), index);
            int recovered = new SpoolRecovery(settings.spoolDir(), index).recover();
            if (recovered > 0) {
                log.info("TSR-0221: re-indexed {} spooled instances found without index rows", recovered);
            }
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()), 64);
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException("TSR-0222: cannot listen on " + settings.bindAddress() + ":" + settings.port(), e);
        }
        AtomicInteger n = new AtomicInteger();
        sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-assoc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "dicom-accept-" + settings.aeTitle());
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("DICOM listener {} on {}:{}", settings.aeTitle(), settings.bindAddress(), port());
    }

    private void acceptLoop() {
        ServerSocket s = server;
        while (!s.isClosed()) {
            try {
                Socket socket = s.accept();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(READ_TIMEOUT_MS);
                open.add(socket);
                stats.sessionStarted();
                sessions.execute(() -> {
                    try {
                        new AssociationSession(socket, settings, policy, spool, stats).run();
                    } finally {
                        open.remove(socket);
                    }
                });
            } catch (IOException e) {
                if (!s.isClosed()) {
                    log.warn("TSR-0223: accept failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.error("TSR-0224: accept loop error", e);
            }
        }
    }

    /** The bound port (the chosen one when settings asked for 0). */
    public int port() {
        ServerSocket s = server;
        if (s == null) {
            throw new IllegalStateException("TSR-0225: listener not started");
        }
        return s.getLocalPort();
    }

    public ListenerCounters counters() {
        return stats.snapshot();
    }

    /** Stops accepting, lets running associations finish for up to {@code grace}, then closes what is left. */
    public synchronized void stop(Duration grace) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("TSR-0226: closing server socket: {}", e.toString());
        }
        sessions.shutdown();
        try {
            if (!sessions.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                for (Socket s : open) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing to unblock the session; nothing else to do
                    }
                }
                // interrupts sessions parked in PixelMed's post-release ARTIM wait (an unconditional ~5 s)
                sessions.shutdownNow();
                sessions.awaitTermination(5, TimeUnit.SECONDS);
            }
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server = null;
        log.info("DICOM listener {} stopped: {}", settings.aeTitle(), stats.snapshot());
    }

    /** {@link #stop(Duration)} with a 10 s grace period. */
    public void stop() {
        stop(Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        stop();
    }
}
