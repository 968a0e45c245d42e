package io.tessera.routes;

import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.core.JobState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due entries, each destination on its own worker, and settles each study's state.
 *
 * <p>A retryable failure ({@link Deliverer.DeliveryException#retryable()}) is retried after
 * {@link #backoff(DeliveryConfig, int, double) an exponential backoff with jitter}; a permanent one, or the
 * {@code maxAttempts}-th failure, or a failure of an entry older than {@code maxAge}, parks the entry with its reason.
 * After {@code breakerFailures} consecutive retryable failures a destination's circuit opens: no entry is sent to it
 * until a C-ECHO probe, tried at the backoff interval, succeeds. The breaker is kept in the database
 * ({@link DestinationBreakers}), one per destination for every node, and outlives a restart.
 *
 * <p>Several nodes may run an outbox on one database (delivery nodes of a cluster): each entry is
 * {@link OutboxStore#claim claimed} by this outbox's {@link #asNode node} before it is sent, for as long as a send to
 * its destination can take, so two nodes never send one entry; a node that dies mid-send lets the claim lapse.
 *
 * <p>Destinations are independent ({@link OutboxWorkers}): a destination that hangs until its timeout delays only its
 * own entries; within a destination entries go out one at a time, oldest first. {@link #stop(Duration)} ends delivery
 * in order at shutdown.
 *
 * <p>A study is DELIVERING while any of its entries is PENDING, PARKED (with the first parked reason) once none is
 * pending and one is parked, DONE when all are SENT. Only a study the processor has handed over ({@code DELIVERING})
 * is settled, and settling is serialised, so when several destinations finish a study at once it leaves DELIVERING
 * exactly once.
 */
public final class Outbox implements ResultDelivery {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** Sends one entry's file to its destination. */
    public interface Sender {
        void send(Destination dest, OutboxEntry entry) throws Deliverer.DeliveryException;
    }

    /** Probes a destination whose circuit is open. */
    public interface Prober {
        void probe(Destination dest) throws Deliverer.DeliveryException;
    }

    /** The study index as far as the outbox needs it. */
    public interface Studies {
        Optional<JobState> state(String studyUid, int version);

        void set(String studyUid, int version, JobState state, String reason);

        /** Records the {@code deliver} stage (first entry queued → last entry settled). */
        default void stage(String studyUid, int version, String stage, Instant start, Instant end) {}
    }

    private final OutboxStore store;
    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private final Sender sender;
    private final Prober prober;
    private final Studies studies;
    private final DeliveryConfig config;
    private final Clock clock;
    private final DoubleSupplier random;
    private final DestinationBreakers breakers;
    /** Who claims entries: the cluster node's id ({@link #asNode}); one node's outbox by default. */
    private volatile String node = "local";
    private final OutboxWorkers workers;
    private final Object settling = new Object();
    // destinations that exist without configuration (a FHIR Subscription's rest-hook), resolved by name when sent to
    private volatile java.util.function.Function<String, Destination> unconfigured = name -> null;

    public Outbox(OutboxStore store, Destinations destinations, Sender sender, Prober prober, Studies studies,
                  DeliveryConfig config, Clock clock, DoubleSupplier random) {
        this(store, destinations, sender, prober, studies, config, clock, random, new OutboxWorkers());
    }

    /** With destinations made from their configuration (tests and tools). */
    public Outbox(OutboxStore store, List<DestinationConfig> destinations, Sender sender, Prober prober, Studies studies,
                  DeliveryConfig config, Clock clock, DoubleSupplier random) {
        this(store, Destinations.of(destinations), sender, prober, studies, config, clock, random, new OutboxWorkers());
    }

    Outbox(OutboxStore store, List<DestinationConfig> destinations, Sender sender, Prober prober, Studies studies,
           DeliveryConfig config, Clock clock, DoubleSupplier random, OutboxWorkers workers) {
        this(store, Destinations.of(destinations), sender, prober, studies, config, clock, random, workers);
    }

    Outbox(OutboxStore store, Destinations destinations, Sender sender, Prober prober, Studies studies,
           DeliveryConfig config, Clock clock, DoubleSupplier random, OutboxWorkers workers) {
        this.workers = workers;
        this.store = store;
        destinations.all().forEach(d -> this.destinations.put(d.name(), d));
        this.sender = sender;
        this.prober = prober;
        this.studies = studies;
        this.config = config;
        this.clock = clock;
        this.random = random;
        this.breakers = store.breakers();
    }

    /** Names the node whose claims this outbox takes (a cluster node's {@code node.id}); call before it runs. */
    public Outbox asNode(String nodeId) {
        this.node = nodeId;
        return this;
    }

    /**
     * How long a claim on an entry for {@code dest} holds: a send is a connection, an association and a few reads, each
     * bounded by the destination's timeout, so four of them and a minute's margin outlast any live send; a longer claim
     * would only delay the entry of a node that died.
     */
    static Duration sendLease(Destination dest) {
        Duration timeout = dest == null ? io.tessera.config.DestinationConfig.DEFAULT_TIMEOUT : dest.config().timeoutOrDefault();
        return timeout.multipliedBy(4).plusMinutes(1);
    }

    /** Production wiring: the deliverer sends and probes. */
    public static Outbox of(OutboxStore store, Destinations destinations, Deliverer deliverer,
                            io.tessera.listener.StudyIndex index, DeliveryConfig config, Clock clock) {
        return new Outbox(store, destinations, (dest, e) -> deliverer.deliver(dest, e.studyUid(), e.sopInstanceUid(),
                Path.of(e.filePath())), deliverer::echo, new IndexStudies(index), config, clock, Math::random);
    }

    /**
     * Also sends to destinations that are not in the configuration but named by their entries (a FHIR
     * Subscription's notices: {@link SubscriptionDestination}); {@code resolve} gives null for a name it does not know.
     */
    public Outbox alsoSendingTo(java.util.function.Function<String, Destination> resolve) {
        this.unconfigured = resolve;
        return this;
    }

    public OutboxStore store() {
        return store;
    }

    /** Persists one result for one destination (a no-op if it is already in the outbox). */
    public void enqueue(String studyUid, int version, String destination, String sopInstanceUid, Path file) {
        if (store.enqueue(studyUid, version, destination, sopInstanceUid, file.toString(), clock.instant())) {
            log.info("outbox: {} for destination '{}' queued (study {} v{})", sopInstanceUid, destination, studyUid, version);
        }
    }

    /**
     * The delay before retrying after the {@code attempts}-th failure: {@code initialBackoff * 2^(attempts-1)}, at most
     * {@code maxBackoff}, less up to 20 % ({@code jitter} in [0, 1)).
     */
    public static Duration backoff(DeliveryConfig config, int attempts, double jitter) {
        long base = config.initialBackoff().toMillis();
        long max = config.maxBackoff().toMillis();
        long millis = base;
        for (int i = 1; i < attempts && millis < max; i++) millis *= 2;
        millis = Math.min(millis, max);
        return Duration.ofMillis(Math.max(1, Math.round(millis * (1 - 0.2 * jitter))));
    }

    /**
     * Starts a worker for every destination with due entries whose previous worker has finished, and returns at once
     * with how many were started. Called by the {@code outbox} route's timer, so the timer thread never waits on a
     * destination.
     */
    public int dispatch() {
        int started = 0;
        for (String d : store.dueDestinations(clock.instant())) {
            if (workers.start(d, () -> drain(d))) started++;
        }
        return started;
    }

    /**
     * Sends every due entry on the caller's thread, one destination after another (each once its worker, if busy, is
     * done); returns how many were sent. For tests and tools; the server uses {@link #dispatch()}.
     */
    public int drain() {
        int sent = 0;
        for (String d : store.dueDestinations(clock.instant())) sent += workers.runHere(d, () -> drain(d));
        return sent;
    }

    /** Sends one destination's due entries, oldest first; the caller holds that destination's turn. */
    private int drain(String destination) {
        Destination dest = destinations.containsKey(destination) ? destinations.get(destination) : unconfigured.apply(destination);
        CircuitBreaker breaker = new CircuitBreaker(destination, breakers, config, random);
        Duration lease = sendLease(dest);
        if (dest != null && !breaker.admits(dest, prober, clock.instant(), lease)) return 0;
        int sent = 0;
        OutboxEntry previous = null;
        for (OutboxEntry listed : store.due(destination, clock.instant())) {
            if (workers.stopping()) break; // shutting down: the rest stay PENDING for the next start
            Instant now = clock.instant();
            // another node may have claimed, sent or retried it since it was listed: only a claimed entry is sent,
            // and as it is now (its attempts may have grown on another node)
            if (!store.claim(listed.id(), node, now, now.plus(lease))) continue;
            OutboxEntry e = store.get(listed.id()).orElse(null);
            if (e == null) continue;
            // a study is settled as soon as the pass moves past its entries, not only at the end of the pass
            if (previous != null && !sameStudy(previous, e)) settle(previous.studyUid(), previous.studyVersion());
            previous = e;
            Attempt outcome = attempt(dest, e, breaker);
            if (outcome == Attempt.SENT) {
                sent++;
            } else if (outcome == Attempt.CIRCUIT_OPEN) {
                break;
            }
        }
        if (previous != null) settle(previous.studyUid(), previous.studyVersion());
        return sent;
    }

    /**
     * Stops delivery in order, for the server's shutdown: no new send starts, and this waits up to {@code grace} for
     * the sends in flight to finish and be recorded. Whatever is not sent stays PENDING in the store and is sent at the
     * next start (same file, same SOP Instance UID, so a send cut off half-way that the destination did store is not
     * duplicated). Returns true if every in-flight send finished within the grace; false if some were left (they end
     * at their destination's timeout, unwaited). Call before closing the store; after it the outbox sends nothing.
     */
    public boolean stop(Duration grace) {
        boolean drained = workers.stop(grace);
        if (!drained) {
            log.warn("TSR-0719: outbox stopped with sends still in flight after {}; their entries stay PENDING for the next start",
                    grace);
        }
        return drained;
    }

    private static boolean sameStudy(OutboxEntry a, OutboxEntry b) {
        return a.studyUid().equals(b.studyUid()) && a.studyVersion() == b.studyVersion();
    }

    private enum Attempt { SENT, FAILED, CIRCUIT_OPEN }

    private Attempt attempt(Destination dest, OutboxEntry e, CircuitBreaker breaker) {
        int attempts = e.attempts() + 1;
        Instant now;
        try {
            if (dest == null) {
                throw new Deliverer.DeliveryException("TSR-0713: destination '" + e.destination() + "' is no longer configured", false);
            }
            send(dest, e);
            now = clock.instant();
            store.sent(e.id(), attempts, now);
            breaker.succeeded(dest, now);
            TesseraMeters.delivery(e.destination(), "sent");
            return Attempt.SENT;
        } catch (Deliverer.DeliveryException ex) {
            now = clock.instant();
            String reason = String.valueOf(ex.getMessage());
            if (!ex.retryable()) {
                park(e, attempts, "permanent: " + reason, now);
                TesseraMeters.delivery(e.destination(), "parked");
                return Attempt.FAILED;
            }
            if (attempts >= config.maxAttempts()) {
                park(e, attempts, "gave up after " + attempts + " attempt(s): " + reason, now);
                TesseraMeters.delivery(e.destination(), "parked");
            } else if (!now.isBefore(e.created().plus(config.maxAge()))) {
                park(e, attempts, "gave up after " + config.maxAge() + " (max age): " + reason, now);
                TesseraMeters.delivery(e.destination(), "parked");
            } else {
                TesseraMeters.delivery(e.destination(), "retry");
                Instant next = now.plus(backoff(config, attempts, random.getAsDouble()));
                store.retry(e.id(), attempts, next, reason, now);
                log.warn("TSR-0714: outbox entry {} to '{}' failed (attempt {}), retry at {}: {}", e.id(), e.destination(),
                        attempts, next, reason);
            }
            return breaker.failed(dest, now) ? Attempt.CIRCUIT_OPEN : Attempt.FAILED;
        }
    }

    /**
     * An unexpected runtime failure of a send (a bug, a library's unchecked exception) counts as a retryable failure:
     * on a worker no route error policy would see it, and the entry would be tried again on every tick without backoff.
     */
    private void send(Destination dest, OutboxEntry e) throws Deliverer.DeliveryException {
        try {
            sender.send(dest, e);
        } catch (RuntimeException x) {
            throw new Deliverer.DeliveryException("TSR-0720: sending to destination '" + dest.name() + "' failed unexpectedly: "
                    + x, x);
        }
    }

    private void park(OutboxEntry e, int attempts, String reason, Instant now) {
        store.park(e.id(), attempts, reason, now);
        log.error("TSR-0716: outbox entry {} ({} to '{}') PARKED: {}", e.id(), e.sopInstanceUid(), e.destination(), reason);
    }

    /** True while the circuit of a destination is open. */
    public boolean circuitOpen(String destination) {
        return breakers.isOpen(destination);
    }

    /**
     * Sets a DELIVERING study's state from its entries: DONE when all are SENT (or it has none), PARKED when none is
     * pending and one is parked; otherwise it stays DELIVERING. Returns the state it is in afterwards.
     */
    @Override
    public JobState settle(String studyUid, int version) {
        synchronized (settling) { // several destinations may finish one study at once: it leaves DELIVERING once
            return settleNow(studyUid, version);
        }
    }

    private JobState settleNow(String studyUid, int version) {
        Optional<JobState> current = studies.state(studyUid, version);
        if (current.isEmpty() || current.get() != JobState.DELIVERING) return current.orElse(null);
        List<OutboxEntry> entries = store.forStudy(studyUid, version);
        if (entries.stream().anyMatch(e -> e.state() == OutboxEntry.State.PENDING)) return JobState.DELIVERING;
        if (!entries.isEmpty()) {
            Instant first = entries.stream().map(OutboxEntry::created).min(Instant::compareTo).orElseThrow();
            Instant last = entries.stream().map(OutboxEntry::updated).max(Instant::compareTo).orElseThrow();
            studies.stage(studyUid, version, "deliver", first, last);
        }
        Optional<OutboxEntry> parked = entries.stream().filter(e -> e.state() == OutboxEntry.State.PARKED).findFirst();
        if (parked.isPresent()) {
            studies.set(studyUid, version, JobState.PARKED, "delivery to '" + parked.get().destination() + "' parked: "
                    + parked.get().lastError());
            return JobState.PARKED;
        }
        studies.set(studyUid, version, JobState.DONE, null);
        log.info("study {} v{}: DONE, {} result(s) delivered", studyUid, version, entries.size());
        return JobState.DONE;
    }

    /** PARKED → PENDING for one entry; a PARKED study goes back to DELIVERING. Returns false if it was not parked. */
    public boolean replay(long id) {
        Optional<OutboxEntry> e = store.get(id);
        if (e.isEmpty() || !store.replay(id, clock.instant())) return false;
        reopen(e.get());
        return true;
    }

    /** Replays every parked entry of a destination; returns how many. */
    public int replayDestination(String destination) {
        List<OutboxEntry> parked = store.open().stream()
                .filter(e -> e.destination().equals(destination) && e.state() == OutboxEntry.State.PARKED).toList();
        int n = store.replayDestination(destination, clock.instant());
        parked.forEach(this::reopen);
        breakers.close(destination, clock.instant());
        return n;
    }

    private void reopen(OutboxEntry e) {
        synchronized (settling) {
            if (studies.state(e.studyUid(), e.studyVersion()).orElse(null) == JobState.PARKED) {
                studies.set(e.studyUid(), e.studyVersion(), JobState.DELIVERING, null);
            }
        }
        log.info("outbox entry {} to '{}' replayed", e.id(), e.destination());
    }
}
