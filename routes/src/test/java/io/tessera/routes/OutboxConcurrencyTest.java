package io.tessera.routes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.core.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Destinations delivered independently: a destination whose send hangs holds only its own entries, a destination
 * never has two sends at once, a study finished by several destinations at once settles once, and {@link
 * Outbox#stop} waits for what is in flight and starts nothing more. Fake senders block on latches; nothing sleeps.
 */
class OutboxConcurrencyTest {
    static final DeliveryConfig CONFIG = new DeliveryConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 5, Duration.ofHours(1), 3);
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir Path dir;
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    OutboxStore store;
    Map<String, JobState> states = new ConcurrentHashMap<>();
    /** how often each (study, state) was set, and how often each study's deliver stage was recorded */
    Map<String, AtomicInteger> sets = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> stages = new ConcurrentHashMap<>();
    /** runs in every read of a study's state: lets a test widen the race between reading and setting it */
    volatile Runnable onStateRead = () -> {};
    CountDownLatch shutdownCalled = new CountDownLatch(1);
    /** the test's own concurrent callers (the common pool may have a single thread on a small machine) */
    ExecutorService callers = Executors.newCachedThreadPool();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(0, 64, 1, TimeUnit.MINUTES, new SynchronousQueue<>()) {
        @Override
        public void shutdown() {
            super.shutdown();
            shutdownCalled.countDown();
        }
    };

    @BeforeEach
    void open() {
        store = new OutboxStore("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        callers.shutdownNow();
        store.close();
    }

    Outbox outbox(List<DestinationConfig> destinations, Outbox.Sender sender) {
        return new Outbox(store, destinations, sender, d -> {}, new Outbox.Studies() {
            @Override
            public Optional<JobState> state(String studyUid, int version) {
                onStateRead.run();
                return Optional.ofNullable(states.get(studyUid));
            }

            @Override
            public void set(String studyUid, int version, JobState state, String reason) {
                states.put(studyUid, state);
                sets.computeIfAbsent(studyUid + ":" + state, k -> new AtomicInteger()).incrementAndGet();
            }

            @Override
            public void stage(String studyUid, int version, String stage, Instant start, Instant end) {
                stages.computeIfAbsent(studyUid + ":" + stage, k -> new AtomicInteger()).incrementAndGet();
            }
        }, CONFIG, clock, () -> 0.0, new OutboxWorkers(pool));
    }

    @Test
    void a_hung_destination_does_not_hold_the_other_destinations_deliveries() throws Exception {
        CountDownLatch pacsEntered = new CountDownLatch(1);
        CountDownLatch pacsAnswers = new CountDownLatch(1);
        Outbox outbox = outbox(List.of(OutboxTest.dicom("pacs"), OutboxTest.folder("folder"), OutboxTest.folder("fhir-ish")),
                (d, e) -> {
                    if (d.name().equals("pacs")) {
                        pacsEntered.countDown();
                        block(pacsAnswers);
                    }
                });
        states.put("s", JobState.DELIVERING);
        states.put("t", JobState.DELIVERING);
        outbox.enqueue("s", 1, "pacs", "1.1", Path.of("/r/1.1.dcm"));
        outbox.enqueue("s", 1, "folder", "1.1", Path.of("/r/1.1.dcm"));
        outbox.enqueue("t", 1, "folder", "2.1", Path.of("/r/2.1.dcm"));
        outbox.enqueue("t", 1, "fhir-ish", "2.2", Path.of("/r/2.2.json"));

        assertEquals(3, outbox.dispatch(), "one worker per destination with due entries");
        assertTrue(pacsEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        await().atMost(WAIT).until(() -> states.get("t") == JobState.DONE);
        await().atMost(WAIT).until(() -> sent("folder") == 2);
        assertEquals(JobState.DELIVERING, states.get("s"), "the study still waits for the hung destination");
        assertEquals(0, sent("pacs"));

        pacsAnswers.countDown();
        await().atMost(WAIT).until(() -> states.get("s") == JobState.DONE);
        assertEquals(1, sets.get("s:DONE").get());
    }

    @Test
    void a_destination_never_has_two_sends_at_once_and_keeps_its_order() throws Exception {
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch firstAnswers = new CountDownLatch(1);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        List<String> order = new CopyOnWriteArrayList<>();
        Outbox outbox = outbox(List.of(OutboxTest.dicom("pacs")), (d, e) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            order.add(e.sopInstanceUid());
            if (e.sopInstanceUid().equals("1.1")) {
                firstEntered.countDown();
                block(firstAnswers);
            }
            inFlight.decrementAndGet();
        });
        states.put("s", JobState.DELIVERING);
        for (int i = 1; i <= 3; i++) outbox.enqueue("s", 1, "pacs", "1." + i, Path.of("/r/1." + i + ".dcm"));

        assertEquals(1, outbox.dispatch());
        assertTrue(firstEntered.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, outbox.dispatch(), "the destination's worker is still busy: no second one");
        firstAnswers.countDown();
        await().atMost(WAIT).until(() -> states.get("s") == JobState.DONE);
        assertEquals(List.of("1.1", "1.2", "1.3"), order);
        assertEquals(1, mostInFlight.get());
    }

    @Test
    void a_study_finished_by_several_destinations_at_once_leaves_delivering_exactly_once() {
        List<DestinationConfig> dests = List.of(OutboxTest.folder("a"), OutboxTest.folder("b"), OutboxTest.folder("c"),
                OutboxTest.folder("d"));
        // every destination sends its entry of a study at the same moment, so their workers settle it together
        CyclicBarrier together = new CyclicBarrier(dests.size());
        Outbox outbox = outbox(dests, (d, e) -> {
            try {
                together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception x) {
                throw new IllegalStateException(x);
            }
        });
        int studies = 20;
        for (int s = 0; s < studies; s++) {
            states.put("s" + s, JobState.DELIVERING);
            for (DestinationConfig d : dests) outbox.enqueue("s" + s, 1, d.name(), "1." + s, Path.of("/r/1." + s + ".dcm"));
        }
        assertEquals(dests.size(), outbox.dispatch());
        await().atMost(WAIT).until(() -> states.values().stream().allMatch(st -> st == JobState.DONE));
        for (int s = 0; s < studies; s++) {
            assertEquals(1, sets.get("s" + s + ":DONE").get(), "study s" + s + " set DONE once");
            assertEquals(1, stages.get("s" + s + ":deliver").get(), "study s" + s + " deliver stage recorded once");
        }
    }

    @Test
    void settling_one_study_from_several_threads_at_once_sets_it_once() throws Exception {
        Outbox outbox = outbox(List.of(OutboxTest.folder("a"), OutboxTest.folder("b")), (d, e) -> {});
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "a", "1.1", Path.of("/r/1.1.dcm"));
        outbox.enqueue("s", 1, "b", "1.1", Path.of("/r/1.1.dcm"));
        assertEquals(2, outbox.drain());
        states.put("s", JobState.DELIVERING);
        sets.clear();
        stages.clear();
        // two readers of the state wait for each other: were settling not serialised, both would see DELIVERING and
        // both would set DONE; serialised, the first waits alone until the barrier gives up and the second sees DONE
        CyclicBarrier bothRead = new CyclicBarrier(2);
        onStateRead = () -> {
            try {
                bothRead.await(300, TimeUnit.MILLISECONDS);
            } catch (Exception gaveUp) {
                // alone at the barrier: settling is serialised
            }
        };
        CompletableFuture<JobState> first = CompletableFuture.supplyAsync(() -> outbox.settle("s", 1), callers);
        CompletableFuture<JobState> second = CompletableFuture.supplyAsync(() -> outbox.settle("s", 1), callers);
        assertEquals(JobState.DONE, first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(JobState.DONE, second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, sets.get("s:DONE").get(), "set DONE once");
        assertEquals(1, stages.get("s:deliver").get(), "deliver stage recorded once");
    }

    @Test
    void stop_waits_for_the_send_in_flight_starts_nothing_more_and_leaves_the_rest_pending() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch answers = new CountDownLatch(1);
        Outbox outbox = outbox(List.of(OutboxTest.dicom("pacs"), OutboxTest.folder("folder")), (d, e) -> {
            if (e.sopInstanceUid().equals("1.1")) {
                entered.countDown();
                block(answers);
            }
        });
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "pacs", "1.1", Path.of("/r/1.1.dcm"));
        outbox.enqueue("s", 1, "pacs", "1.2", Path.of("/r/1.2.dcm"));
        assertEquals(1, outbox.dispatch());
        assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> outbox.stop(WAIT), callers);
        assertTrue(shutdownCalled.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertFalse(stopped.isDone(), "stop waits for the send in flight");
        outbox.enqueue("s", 1, "folder", "1.1", Path.of("/r/1.1.dcm"));
        assertEquals(0, outbox.dispatch(), "a stopping outbox starts no worker");
        answers.countDown();

        assertTrue(stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS), "the send in flight finished within the grace");
        Map<String, OutboxEntry.State> bySop = new java.util.HashMap<>();
        store.forStudy("s", 1).forEach(e -> bySop.put(e.destination() + ":" + e.sopInstanceUid(), e.state()));
        assertEquals(Map.of("pacs:1.1", OutboxEntry.State.SENT, "pacs:1.2", OutboxEntry.State.PENDING,
                "folder:1.1", OutboxEntry.State.PENDING), bySop, "what was not in flight stays PENDING for the next start");
        assertEquals(JobState.DELIVERING, states.get("s"));
    }

    @Test
    void stop_gives_up_after_the_grace_and_leaves_a_hung_send_pending() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Outbox outbox = outbox(List.of(OutboxTest.dicom("pacs")), (d, e) -> {
            entered.countDown();
            block(never); // interrupted when the grace runs out, like a socket read ended by its timeout
        });
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "pacs", "1.1", Path.of("/r/1.1.dcm"));
        assertEquals(1, outbox.dispatch());
        assertTrue(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS));

        assertFalse(outbox.stop(Duration.ofMillis(200)), "the hung send did not finish within the grace");
        await().atMost(WAIT).until(() -> pool.isTerminated());
        OutboxEntry e = store.forStudy("s", 1).get(0);
        assertEquals(OutboxEntry.State.PENDING, e.state(), "an unfinished send is retried at the next start");
        assertEquals(JobState.DELIVERING, states.get("s"));
    }

    private long sent(String destination) {
        return states.keySet().stream().flatMap(s -> store.forStudy(s, 1).stream())
                .filter(e -> e.destination().equals(destination) && e.state() == OutboxEntry.State.SENT).count();
    }

    /** Blocks a fake send; an interrupt (stop past its grace) fails it as a retryable I/O error would. */
    private static void block(CountDownLatch latch) throws Deliverer.DeliveryException {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new Deliverer.DeliveryException("TSR-0702: timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Deliverer.DeliveryException("TSR-0702: interrupted");
        }
    }
}
