package io.tessera.listener;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Tessera's C-STORE and C-ECHO SCP. Accepts on its own server sockets bound to the configured address (a plain
 * port, a DICOM TLS port, or both), serves each connection on its own thread with Tessera's own DICOM upper layer
 * ({@link AssociationSession}, presentation contexts chosen by {@link ContextPolicy}), and acknowledges an instance only
 * once it is durable in the spool and indexed (see {@link AssociationSession}). Every connection ends with one line
 * in the {@link AuditLog}.
 */
public final class DicomListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DicomListener.class);
    private final ListenerSettings settings;
    private final StudyIndex index;
    private final ListenerStats stats = new ListenerStats();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Which SOP classes and transfer syntaxes are accepted comes from the settings, not from PixelMed's defaults. */
    private final PresentationContextSelectionPolicy policy;
    private final AuditLog givenAudit;
    private ServerSocket server;
    private ServerSocket tlsServer;
    private ExecutorService sessions;
    /** Bounded: connections whose association is not yet screened (TLS handshake, A-ASSOCIATE-RQ, negotiation). */
    private ThreadPoolExecutor admission;
    /** Closes a connection whose A-ASSOCIATE-RQ is not whole by its deadline. */
    private ScheduledThreadPoolExecutor artim;
    /** Unscreened connections per remote address (accepted, not yet through {@link AssociationSession#admit}). */
    private final ConcurrentHashMap<InetAddress, Integer> unscreened = new ConcurrentHashMap<>();
    /** Sockets in admission, closed at stop. */
    private final Set<Socket> screening = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastRefusalLog = new AtomicLong();
    private final AtomicLong refusalsNotLogged = new AtomicLong();
    private final List<Thread> acceptors = new ArrayList<>();
    private AuditLog audit;
    private AssociationSession.Shared shared;
    /** The spool, open (its log replayed) from {@link #recover()} until {@link #stop(Duration)}. */
    private SpoolWriter spool;

    private java.util.function.BiConsumer<String, java.util.Set<String>> onRelease;

    public DicomListener(ListenerSettings settings, StudyIndex index) {
        this(settings, index, null);
    }

    /** With an audit log shared with others (e.g. the delivery side); it is not closed by {@link #stop()}. */
    public DicomListener(ListenerSettings settings, StudyIndex index, AuditLog audit) {
        this.settings = settings;
        this.index = index;
        this.givenAudit = audit;
        this.policy = new ContextPolicy(settings.accepted());
    }

    /**
     * Called with the calling AE title and the studies an association stored instances of, once that association is
     * released in order (not aborted); completion may use it as an earlier trigger than the quiet period. Set before start.
     */
    public synchronized void onAssociationReleased(java.util.function.BiConsumer<String, java.util.Set<String>> callback) {
        this.onRelease = callback;
    }

    /**
     * Replays the write-ahead log and indexes every spooled instance a crash left without an index row, without
     * accepting anything. Whoever completes and processes studies must call this first (or {@link #start()}, which
     * calls it): a study must never be judged complete, or processed, from what recovery is still restoring.
     *
     * @return the number of instances re-indexed
     */
    public synchronized int recover() {
        if (spool != null) {
            return 0;
        }
        try {
            SpoolWriter opened = new SpoolWriter(settings.spoolDir(), index);
            int recovered = new SpoolRecovery(settings.spoolDir(), index).recover();
            if (recovered > 0) {
                log.info("TSR-0221: re-indexed {} spooled instances found without index rows", recovered);
            }
            spool = opened;
            return recovered;
        } catch (IOException e) {
            throw new UncheckedIOException("TSR-0228: cannot recover the spool under " + settings.spoolDir() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Recovers the spool if not done yet, binds and starts accepting; returns once the port is bound. */
    public synchronized void start() {
        if (shared != null) {
            throw new IllegalStateException("TSR-0220: listener already started");
        }
        AllowList allowList = new AllowList(settings.allowedCallingAeTitles());
        recover();
        try {
            audit = givenAudit != null ? givenAudit : AuditLog.open(settings.auditFile());
            StudyBudget budget = new StudyBudget(settings.maxStudyBytes(),
                    study -> index.instances(study).stream().mapToLong(InstanceRecord::sizeBytes).sum());
            shared = new AssociationSession.Shared(settings, policy, spool, stats, allowList, budget, audit, onRelease);
            InetAddress address = InetAddress.getByName(settings.bindAddress());
            if (settings.port() != ListenerSettings.NO_PORT) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(address, settings.port()), 64);
                server = s;
            }
            if (settings.tls() != null) {
                tlsServer = TlsContextFactory.bind(settings.tls(), new InetSocketAddress(address, settings.tls().port()));
            }
        } catch (IOException e) {
            closeServers();
            if (audit != null && givenAudit == null) {
                audit.close();
            }
            shared = null;
            throw new UncheckedIOException("TSR-0222: cannot listen on " + settings.bindAddress() + ":" + settings.port()
                    + (settings.tls() == null ? "" : " / TLS " + settings.tls().port()) + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        sessions = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dicom-assoc-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger a = new AtomicInteger();
        int admissionThreads = admissionThreads(settings);
        admission = new ThreadPoolExecutor(admissionThreads, admissionThreads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(ADMISSION_QUEUE), r -> {
                    Thread t = new Thread(r, "dicom-admit-" + a.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        admission.allowCoreThreadTimeOut(true);
        artim = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "dicom-artim");
            t.setDaemon(true);
            return t;
        });
        artim.setRemoveOnCancelPolicy(true);
        for (ServerSocket s : servers()) {
            Thread acceptor = new Thread(() -> acceptLoop(s), "dicom-accept-" + settings.aeTitle() + "-" + s.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
            acceptors.add(acceptor);
        }
        log.info("DICOM listener {} on {} plain port {}, TLS port {}, maxAssociations {}, maxStudyBytes {},"
                        + " maxConnectionsPerSource {}, associateTimeout {} ms, audit {}",
                settings.aeTitle(), settings.bindAddress(), server == null ? "off" : server.getLocalPort(),
                tlsServer == null ? "off" : tlsServer.getLocalPort(), settings.maxAssociations(),
                settings.maxStudyBytes() == 0 ? "unlimited" : settings.maxStudyBytes(),
                settings.maxConnectionsPerSource(), settings.associateTimeout().toMillis(), audit.file());
    }

    private List<ServerSocket> servers() {
        List<ServerSocket> list = new ArrayList<>();
        if (server != null) {
            list.add(server);
        }
        if (tlsServer != null) {
            list.add(tlsServer);
        }
        return list;
    }

    private void closeServers() {
        for (ServerSocket s : servers()) {
            try {
                s.close();
            } catch (IOException e) {
                log.warn("TSR-0226: closing server socket: {}", e.toString());
            }
        }
    }

    /** Connections waiting for an admission thread; beyond this a new connection is closed at accept. */
    static final int ADMISSION_QUEUE = 256;

    /** Enough admission threads that screening never waits behind a full set of associations opening at once. */
    static int admissionThreads(ListenerSettings settings) {
        return Math.max(16, Math.min(settings.maxAssociations(), 256));
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket socket = s.accept();
                long deadline = System.nanoTime() + settings.associateTimeout().toNanos();
                InetAddress from = socket.getInetAddress();
                if (!takeSourceSlot(from)) {
                    stats.refusedPerSource();
                    refuseAtAccept(socket, "TSR-0296", "already holds dicom.limits.maxConnectionsPerSource "
                            + settings.maxConnectionsPerSource() + " connections not yet screened");
                    continue;
                }
                socket.setTcpNoDelay(true);
                open.add(socket);
                screening.add(socket);
                stats.sessionStarted();
                AssociationSession session = new AssociationSession(socket, shared);
                try {
                    admission.execute(() -> admit(session, socket, from, deadline));
                } catch (RejectedExecutionException full) {
                    screening.remove(socket);
                    open.remove(socket);
                    stats.sessionEnded();
                    releaseSourceSlot(from);
                    stats.refusedAdmissionFull();
                    refuseAtAccept(socket, "TSR-0297", "every admission thread is busy and " + ADMISSION_QUEUE
                            + " connections wait");
                }
            } catch (IOException e) {
                if (!s.isClosed()) {
                    log.warn("TSR-0223: accept failed: {}", e.toString());
                }
            } catch (RuntimeException e) {
                log.error("TSR-0224: accept loop error", e);
            }
        }
    }

    /** On an admission thread: screen and negotiate, then hand an accepted association to a session thread. */
    private void admit(AssociationSession session, Socket socket, InetAddress from, long deadline) {
        boolean accepted;
        try {
            accepted = session.admit(deadline, artim);
        } finally {
            screening.remove(socket);
            releaseSourceSlot(from);
        }
        if (!accepted) {
            open.remove(socket);
            return;
        }
        Runnable serve = () -> {
            try {
                session.serveAccepted();
            } finally {
                open.remove(socket);
            }
        };
        try {
            sessions.execute(serve);
        } catch (RejectedExecutionException stopping) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // stopping; the session below ends at once
            }
            serve.run();
        }
    }

    private boolean takeSourceSlot(InetAddress from) {
        boolean[] taken = {false};
        unscreened.compute(from, (k, n) -> {
            int held = n == null ? 0 : n;
            if (held >= settings.maxConnectionsPerSource()) {
                return n;
            }
            taken[0] = true;
            return held + 1;
        });
        return taken[0];
    }

    private void releaseSourceSlot(InetAddress from) {
        unscreened.computeIfPresent(from, (k, n) -> n <= 1 ? null : n - 1);
    }

    /** Connections from {@code from} not yet screened (their slot is released after the screening's outcome is counted). */
    int unscreened(InetAddress from) {
        return unscreened.getOrDefault(from, 0);
    }

    /** Closes a connection refused before anything was read; logs at most one line a second (a flood is counted). */
    private void refuseAtAccept(Socket socket, String code, String why) {
        String from = socket.getInetAddress().getHostAddress();
        try {
            socket.setSoLinger(true, 0); // reset: no buffers or TIME_WAIT held for it
            socket.close();
        } catch (IOException ignored) {
            // it is gone either way
        }
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= 1_000_000_000L && lastRefusalLog.compareAndSet(last, now)) {
            long more = refusalsNotLogged.getAndSet(0);
            log.warn("[{}] {}: connection closed at accept: the address {}{}", from, code, why,
                    more == 0 ? "" : " (" + more + " more connections refused at accept since the last such line)");
        } else {
            refusalsNotLogged.incrementAndGet();
        }
    }

    /**
     * With {@code -Dtessera.listener.timing=true}: the mean milliseconds per instance by phase since the last call, for
     * every listener in this JVM (then reset); null when timing is off or nothing was stored. For benchmarks.
     */
    public static String drainIngestTiming() {
        return IngestTiming.drain();
    }

    /** The bound plain port (the chosen one when settings asked for 0). */
    public int port() {
        ServerSocket s = server;
        if (s == null) {
            throw new IllegalStateException("TSR-0225: listener not started or without a plain port");
        }
        return s.getLocalPort();
    }

    /** The bound TLS port (the chosen one when settings asked for 0). */
    public int tlsPort() {
        ServerSocket s = tlsServer;
        if (s == null) {
            throw new IllegalStateException("TSR-0225: listener not started or without a TLS port");
        }
        return s.getLocalPort();
    }

    /** Waits (polling) until no connection is being served, e.g. until the last one's audit line is written. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stats.activeSessions() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** The audit log this listener writes to (for the delivery side's export lines); null before start. */
    public AuditLog auditLog() {
        return audit;
    }

    public ListenerCounters counters() {
        return stats.snapshot();
    }

    /** Stops accepting, lets running associations finish for up to {@code grace}, then closes what is left. */
    public synchronized void stop(Duration grace) {
        if (shared == null) {
            closeSpool(); // recovered but never started (a cluster node without the ingest role): checkpoint the log
            return;
        }
        closeServers();
        java.util.List<Runnable> queued = admission.shutdownNow();
        for (Socket s : screening) {
            try {
                s.close();
            } catch (IOException ignored) {
                // unblocking its admission thread
            }
        }
        for (Runnable r : queued) {
            r.run(); // each finds its socket closed and ends at once, counted and audited
        }
        try {
            admission.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        artim.shutdownNow();
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
                sessions.shutdownNow();
                sessions.awaitTermination(5, TimeUnit.SECONDS);
            }
            for (Thread acceptor : acceptors) {
                acceptor.join(5000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        acceptors.clear();
        server = null;
        tlsServer = null;
        // A checkpoint, so the next start does not replay (and resurrect) files already made durable and handled.
        closeSpool();
        shared = null;
        if (givenAudit == null) {
            audit.close();
        }
        log.info("DICOM listener {} stopped: {}", settings.aeTitle(), stats.snapshot());
        IngestTiming.report();
    }

    /** {@link #stop(Duration)} with a 10 s grace period. */
    public void stop() {
        stop(Duration.ofSeconds(10));
    }

    private void closeSpool() {
        if (spool == null) return;
        try {
            spool.close();
        } catch (IOException e) {
            log.warn("TSR-0227: spool checkpoint at stop failed (the next start replays the write-ahead log): {}", e.toString());
        }
        spool = null;
    }

    @Override
    public synchronized void close() {
        if (shared != null) {
            stop();
        } else {
            closeSpool(); // recovered but never started
        }
    }
}
