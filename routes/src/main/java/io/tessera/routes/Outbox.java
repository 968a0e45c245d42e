package io.tessera.routes;

import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.core.JobState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the outbox's due entries, one destination after another, and settles each study's state.
 *
 * <p>A retryable failure ({@link Deliverer.DeliveryException#retryable()}) is retried after
 * {@link #backoff(DeliveryConfig, int, double) an exponential backoff with jitter}; a permanent one, or the
 * {@code maxAttempts}-th failure, or a failure of an entry older than {@code maxAge}, parks the entry with its reason.
 * After {@code breakerFailures} consecutive retryable failures a destination's circuit opens: no entry is sent to it
 * until a C-ECHO probe, tried at the backoff interval, succeeds. The breaker lives in memory; after a restart it starts
 * closed.
 *
 * <p>A study is DELIVERING while any of its entries is PENDING, PARKED (with the first parked reason) once none is
 * pending and one is parked, DONE when all are SENT. Only a study the processor has handed over ({@code DELIVERING})
 * is settled by {@link #drain()}.
 */
public final class Outbox {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** Sends one entry's file to its destination. */
    public interface Sender {
        void send(DestinationConfig dest, OutboxEntry entry) throws Deliverer.DeliveryException;
    }

    /** Probes a destination whose circuit is open. */
    public interface Prober {
        void probe(DestinationConfig dest) throws Deliverer.DeliveryException;
    }

    /** The study index as far as the outbox needs it. */
    public interface Studies {
        Optional<JobState> state(String studyUid, int version);

        void set(String studyUid, int version, JobState state, String reason);

        /** Records the {@code deliver} stage (first entry queued → last entry settled). */
        default void stage(String studyUid, int version, String stage, Instant start, Instant end) {}
    }

    private final OutboxStore store;
    private final Map<String, DestinationConfig> destinations = new LinkedHashMap<>();
    private final Sender sender;
    private final Prober prober;
    private final Studies studies;
    private final DeliveryConfig config;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();

    public Outbox(OutboxStore store, List<DestinationConfig> destinations, Sender sender, Prober prober, Studies studies,
                  DeliveryConfig config, Clock clock, DoubleSupplier random) {
        this.store = store;
        destinations.forEach(d -> this.destinations.put(d.name(), d));
        this.sender = sender;
        this.prober = prober;
        this.studies = studies;
        this.config = config;
        this.clock = clock;
        this.random = random;
    }

    /** Production wiring: the deliverer sends and probes. */
    public static Outbox of(OutboxStore store, List<DestinationConfig> destinations, Deliverer deliverer,
                            io.tessera.listener.StudyIndex index, DeliveryConfig config, Clock clock) {
        Studies studies = new Studies() {
            @Override
            public Optional<JobState> state(String studyUid, int version) {
                return index.study(studyUid).filter(s -> s.version() == version).map(s -> s.state());
            }

            @Override
            public void set(String studyUid, int version, JobState state, String reason) {
                index.setState(studyUid, version, state, reason);
            }

            @Override
            public void stage(String studyUid, int version, String stage, Instant start, Instant end) {
                index.recordStage(studyUid, version, stage, start, end);
            }
        };
        return new Outbox(store, destinations, (dest, e) -> deliverer.deliver(dest, e.studyUid(), e.sopInstanceUid(),
                Path.of(e.filePath())), deliverer::echo, studies, config, clock, Math::random);
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

    /** Sends every due entry; returns how many were sent. Called by the {@code outbox} route's timer. */
    public synchronized int drain() {
        Instant now = clock.instant();
        Map<String, List<OutboxEntry>> byDest = new LinkedHashMap<>();
        for (OutboxEntry e : store.due(now)) {
            byDest.computeIfAbsent(e.destination(), k -> new java.util.ArrayList<>()).add(e);
        }
        int sent = 0;
        Map<String, Integer> touched = new HashMap<>();
        for (Map.Entry<String, List<OutboxEntry>> d : byDest.entrySet()) {
            DestinationConfig dest = destinations.get(d.getKey());
            Breaker breaker = breakers.computeIfAbsent(d.getKey(), k -> new Breaker());
            if (dest != null && breaker.open && !probe(dest, breaker)) continue;
            for (OutboxEntry e : d.getValue()) {
                touched.put(e.studyUid(), e.studyVersion());
                if (attempt(dest, e, breaker)) {
                    sent++;
                } else if (breaker.open) {
                    break;
                }
            }
        }
        touched.forEach(this::settle);
        return sent;
    }

    private boolean probe(DestinationConfig dest, Breaker breaker) {
        Instant now = clock.instant();
        if (now.isBefore(breaker.probeAt)) return false;
        try {
            prober.probe(dest);
            log.info("outbox: destination '{}' answers again; resuming", dest.name());
            breaker.open = false;
            breaker.failures = 0;
            return true;
        } catch (Deliverer.DeliveryException e) {
            breaker.probes++;
            breaker.probeAt = now.plus(backoff(config, breaker.probes, random.getAsDouble()));
            log.warn("TSR-0712: destination '{}' still unreachable (circuit open, next probe {}): {}", dest.name(),
                    breaker.probeAt, e.getMessage());
            return false;
        }
    }

    private boolean attempt(DestinationConfig dest, OutboxEntry e, Breaker breaker) {
        int attempts = e.attempts() + 1;
        Instant now;
        try {
            if (dest == null) {
                throw new Deliverer.DeliveryException("TSR-0713: destination '" + e.destination() + "' is no longer configured", false);
            }
            sender.send(dest, e);
            now = clock.instant();
            store.sent(e.id(), attempts, now);
            breaker.failures = 0;
            return true;
        } catch (Deliverer.DeliveryException ex) {
            now = clock.instant();
            String reason = String.valueOf(ex.getMessage());
            if (!ex.retryable()) {
                park(e, attempts, "permanent: " + reason, now);
                return false;
            }
            breaker.failures++;
            if (attempts >= config.maxAttempts()) {
                park(e, attempts, "gave up after " + attempts + " attempt(s): " + reason, now);
            } else if (!now.isBefore(e.created().plus(config.maxAge()))) {
                park(e, attempts, "gave up after " + config.maxAge() + " (max age): " + reason, now);
            } else {
                Instant next = now.plus(backoff(config, attempts, random.getAsDouble()));
                store.retry(e.id(), attempts, next, reason, now);
                log.warn("TSR-0714: outbox entry {} to '{}' failed (attempt {}), retry at {}: {}", e.id(), e.destination(),
                        attempts, next, reason);
            }
            if (dest != null && "dicom".equals(dest.type()) && !breaker.open && breaker.failures >= config.breakerFailures()) {
                breaker.open = true;
                breaker.probes = 0;
                breaker.probeAt = now.plus(backoff(config, 1, random.getAsDouble()));
                log.warn("TSR-0715: destination '{}' failed {} time(s) in a row; circuit open, probing with C-ECHO", dest.name(),
                        breaker.failures);
            }
            return false;
        }
    }

    private void park(OutboxEntry e, int attempts, String reason, Instant now) {
        store.park(e.id(), attempts, reason, now);
        log.error("TSR-0716: outbox entry {} ({} to '{}') PARKED: {}", e.id(), e.sopInstanceUid(), e.destination(), reason);
    }

    /** True while the circuit of a destination is open. */
    public boolean circuitOpen(String destination) {
        Breaker b = breakers.get(destination);
        return b != null && b.open;
    }

    /**
     * Sets a DELIVERING study's state from its entries: DONE when all are SENT (or it has none), PARKED when none is
     * pending and one is parked; otherwise it stays DELIVERING. Returns the state it is in afterwards.
     */
    public JobState settle(String studyUid, int version) {
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
        breakers.remove(destination);
        return n;
    }

    private void reopen(OutboxEntry e) {
        if (studies.state(e.studyUid(), e.studyVersion()).orElse(null) == JobState.PARKED) {
            studies.set(e.studyUid(), e.studyVersion(), JobState.DELIVERING, null);
        }
        log.info("outbox entry {} to '{}' replayed", e.id(), e.destination());
    }

    private static final class Breaker {
        volatile boolean open;
        int failures;
        int probes;
        Instant probeAt = Instant.EPOCH;
    }
}
