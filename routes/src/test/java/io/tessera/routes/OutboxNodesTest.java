package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DestinationConfig;
import io.tessera.core.JobState;
import io.tessera.listener.StudyIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two delivery nodes on one outbox — two {@link Outbox}es, each on its own store and pool, as two processes would be:
 * an entry is sent by exactly one of them, an entry claimed by a node that died is sent by the other once the claim
 * lapses, and the circuit breaker is one per destination for both (and for a node started later). On embedded H2 here,
 * on a real PostgreSQL in {@link OutboxNodesPostgresIT}.
 */
class OutboxNodesTest {
    static final int ENTRIES = 40;

    @TempDir Path dir;
    final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    final ExecutorService threads = Executors.newFixedThreadPool(2);
    final Map<String, JobState> states = new ConcurrentHashMap<>();
    /** every send, as "destination:sop", by either node */
    final ConcurrentLinkedQueue<String> sends = new ConcurrentLinkedQueue<>();
    final AtomicInteger probes = new AtomicInteger();
    /** retryable failures still to play back, shared by both nodes' senders */
    final AtomicInteger failuresLeft = new AtomicInteger();
    volatile boolean pacsAnswersEcho;
    final List<OutboxStore> stores = new ArrayList<>();

    String url() {
        return StudyIndex.defaultJdbcUrl(dir);
    }

    @BeforeEach
    void states() {
        states.put("s", JobState.DELIVERING);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        stores.forEach(OutboxStore::close);
    }

    Outbox node(String id) {
        OutboxStore store = new OutboxStore(url());
        stores.add(store);
        return new Outbox(store, List.of(OutboxTest.PACS, OutboxTest.folder("folder")), (d, e) -> {
            if (failuresLeft.getAndDecrement() > 0) throw new Deliverer.DeliveryException("TSR-0702: refused");
            sends.add(d.name() + ":" + e.sopInstanceUid());
        }, d -> {
            probes.incrementAndGet();
            if (!pacsAnswersEcho) throw new Deliverer.DeliveryException("TSR-0706: C-ECHO failed");
        }, new Outbox.Studies() {
            @Override
            public Optional<JobState> state(String studyUid, int version) {
                return Optional.ofNullable(states.get(studyUid));
            }

            @Override
            public void set(String studyUid, int version, JobState state, String reason) {
                states.put(studyUid, state);
            }
        }, OutboxTest.CONFIG, clock, () -> 0.0).asNode(id);
    }

    <T> List<T> race(Callable<T> a, Callable<T> b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<T> fa = threads.submit(() -> { start.await(10, TimeUnit.SECONDS); return a.call(); });
        Future<T> fb = threads.submit(() -> { start.await(10, TimeUnit.SECONDS); return b.call(); });
        return List.of(fa.get(60, TimeUnit.SECONDS), fb.get(60, TimeUnit.SECONDS));
    }

    @Test
    void two_delivery_nodes_draining_at_once_send_each_entry_exactly_once() throws Exception {
        Outbox a = node("node-a");
        Outbox b = node("node-b");
        for (int i = 0; i < ENTRIES; i++) {
            a.enqueue("s", 1, i % 2 == 0 ? "pacs" : "folder", "1.2." + i, Path.of("results/1.2." + i + ".dcm"));
        }
        List<Integer> sent = race(a::drain, b::drain);
        assertEquals(ENTRIES, sent.get(0) + sent.get(1), "between them every entry was sent: " + sent);
        assertEquals(ENTRIES, sends.size(), "no entry sent twice: " + sends);
        assertEquals(ENTRIES, sends.stream().distinct().count());
        assertTrue(a.store().open().isEmpty(), "all SENT");
        assertTrue(a.store().claims(clock.instant()).isEmpty(), "sending ends every claim");
        assertEquals(JobState.DONE, states.get("s"));
    }

    @Test
    void an_entry_claimed_by_a_node_that_died_is_sent_by_another_node_once_the_claim_lapses() {
        Outbox a = node("node-a");
        Outbox b = node("node-b");
        a.enqueue("s", 1, "pacs", "1.3.1", Path.of("results/1.3.1.dcm"));
        long id = a.store().due(clock.instant()).get(0).id();
        Instant until = clock.instant().plus(Outbox.sendLease(Destinations.of(List.of(OutboxTest.PACS)).all().iterator().next()));
        assertTrue(a.store().claim(id, "node-a", clock.instant(), until), "node-a claims it, then dies before sending");
        assertEquals(List.of("node-a"), b.store().claims(clock.instant()).stream().map(OutboxStore.Claim::node).toList());

        assertEquals(0, b.drain(), "claimed by a node whose claim still holds");
        assertTrue(sends.isEmpty());
        clock.advance(Duration.between(clock.instant(), until).plusSeconds(1));
        assertEquals(1, b.drain(), "the claim lapsed: the other node sends it");
        assertEquals(List.of("pacs:1.3.1"), List.copyOf(sends));
        assertEquals(OutboxEntry.State.SENT, b.store().get(id).orElseThrow().state());
    }

    @Test
    void a_restarted_node_releases_its_own_claims_and_sends_at_once_but_not_another_nodes() {
        Outbox a = node("node-a");
        a.enqueue("s", 1, "pacs", "1.3.2", Path.of("results/1.3.2.dcm"));
        a.enqueue("s", 1, "pacs", "1.3.3", Path.of("results/1.3.3.dcm"));
        List<OutboxEntry> due = a.store().due(clock.instant());
        Instant until = clock.instant().plus(Duration.ofMinutes(41));
        assertTrue(a.store().claim(due.get(0).id(), "node-a", clock.instant(), until));
        assertTrue(a.store().claim(due.get(1).id(), "node-b", clock.instant(), until));
        assertEquals(1, a.store().releaseClaims("node-a"), "node-a's own claim only");
        assertEquals(1, a.drain(), "sent now, not in 41 minutes");
        assertEquals(List.of("pacs:1.3.2"), List.copyOf(sends));
        assertEquals(1, a.store().releaseClaims(null), "alone: every claim");
        assertEquals(1, a.drain());
    }

    @Test
    void one_breaker_per_destination_is_shared_by_every_node_and_one_node_probes_at_a_time() throws Exception {
        Outbox a = node("node-a");
        Outbox b = node("node-b");
        // failures seen on either node add up: two on node-a, the third on node-b opens the circuit for both
        for (int i = 0; i < 2; i++) a.enqueue("s", 1, "pacs", "1.4." + i, Path.of("results/1.4." + i + ".dcm"));
        failuresLeft.set(2);
        assertEquals(0, a.drain());
        assertFalse(a.circuitOpen("pacs"), "two failures: below the count of three");
        for (int i = 2; i < 6; i++) a.enqueue("s", 1, "pacs", "1.4." + i, Path.of("results/1.4." + i + ".dcm"));
        failuresLeft.set(1);
        assertEquals(0, b.drain(), "the first entry fails and opens the circuit: the others are not tried");
        assertTrue(a.circuitOpen("pacs") && b.circuitOpen("pacs"), "open for both nodes");
        Outbox later = node("node-c");
        assertTrue(later.circuitOpen("pacs"), "a node started later (or after a restart) finds it open");
        DestinationBreakers.Breaker open = a.store().breakers().get("pacs").orElseThrow();
        assertEquals(3, open.failures());
        assertNotNull(open.openedAt());

        sends.clear();
        assertEquals(List.of(0, 0), race(a::drain, b::drain), "nothing is sent before the probe is due");
        assertEquals(0, probes.get());

        clock.advance(Duration.ofMinutes(10));
        pacsAnswersEcho = false;
        assertEquals(List.of(0, 0), race(a::drain, b::drain));
        assertEquals(1, probes.get(), "the probe turn is taken by one node");
        assertTrue(b.circuitOpen("pacs"));

        clock.advance(Duration.ofMinutes(10));
        pacsAnswersEcho = true;
        List<Integer> sent = race(a::drain, b::drain);
        assertEquals(2, probes.get(), "again one probe, which succeeds");
        // the node that did not probe may have found the circuit still open: the next round sends the rest
        int total = sent.get(0) + sent.get(1) + a.drain() + b.drain();
        assertEquals(6, total);
        assertEquals(6, sends.stream().distinct().count(), "each once: " + sends);
        assertEquals(6, sends.size());
        assertFalse(later.circuitOpen("pacs"));
        assertEquals(0, a.store().breakers().get("pacs").orElseThrow().failures());
        assertEquals(JobState.DONE, states.get("s"));
    }
}
