package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.DeliveryConfig;
import io.tessera.config.DestinationConfig;
import io.tessera.core.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backoff, classification, parking, the circuit breaker and the study's state, on a manual clock; on embedded H2 here,
 * on a real PostgreSQL in {@link OutboxPostgresIT}.
 */
class OutboxTest {
    static final DeliveryConfig CONFIG = new DeliveryConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 5, Duration.ofHours(1), 3);
    static final DestinationConfig PACS = dicom("pacs");

    @TempDir Path dir;
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    OutboxStore store;
    /** outcomes the fake sender plays back, per call: null = success. */
    Deque<Deliverer.DeliveryException> outcomes = new ArrayDeque<>();
    Deque<Deliverer.DeliveryException> probes = new ArrayDeque<>();
    List<String> sends = new ArrayList<>();
    int probeCalls;
    Map<String, JobState> states = new HashMap<>();
    Map<String, String> reasons = new HashMap<>();
    Outbox outbox;

    String url() {
        return "jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @BeforeEach
    void open() {
        store = new OutboxStore(url());
        outbox = new Outbox(store, List.of(PACS, folder("folder")), (d, e) -> {
            sends.add(d.name() + ":" + e.sopInstanceUid());
            Deliverer.DeliveryException x = outcomes.poll();
            if (x != null) throw x;
        }, d -> {
            probeCalls++;
            Deliverer.DeliveryException x = probes.poll();
            if (x != null) throw x;
        }, new Outbox.Studies() {
            @Override
            public Optional<JobState> state(String studyUid, int version) {
                return Optional.ofNullable(states.get(studyUid));
            }

            @Override
            public void set(String studyUid, int version, JobState state, String reason) {
                states.put(studyUid, state);
                reasons.put(studyUid, reason);
            }
        }, CONFIG, clock, () -> 0.0);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void backoff_doubles_from_the_initial_value_up_to_the_maximum_and_jitter_only_shortens_it() {
        assertEquals(Duration.ofSeconds(2), Outbox.backoff(CONFIG, 1, 0));
        assertEquals(Duration.ofSeconds(4), Outbox.backoff(CONFIG, 2, 0));
        assertEquals(Duration.ofSeconds(16), Outbox.backoff(CONFIG, 4, 0));
        assertEquals(Duration.ofSeconds(30), Outbox.backoff(CONFIG, 5, 0));
        assertEquals(Duration.ofSeconds(30), Outbox.backoff(CONFIG, 60, 0));
        assertEquals(Duration.ofMillis(3200), Outbox.backoff(CONFIG, 2, 1.0));
    }

    @Test
    void an_entry_is_unique_per_destination_and_sop_instance_so_a_rerun_adds_nothing() {
        outbox.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        outbox.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        outbox.enqueue("s", 1, "folder", "1.9", Path.of("/r/1.9.dcm"));
        assertEquals(2, store.open().size());
    }

    @Test
    void a_sent_entry_makes_a_delivering_study_done() {
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        assertEquals(1, outbox.drain());
        assertEquals(JobState.DONE, states.get("s"));
        assertTrue(store.open().isEmpty());
        assertEquals(0, outbox.drain(), "a sent entry is not sent again");
        assertEquals(List.of("pacs:1.9"), sends);
    }

    @Test
    void a_study_still_running_is_not_settled_by_the_outbox() {
        states.put("s", JobState.RUNNING);
        outbox.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        outbox.drain();
        assertEquals(JobState.RUNNING, states.get("s"));
        states.put("s", JobState.DELIVERING);
        assertEquals(JobState.DONE, outbox.settle("s", 1));
    }

    @Test
    void a_retryable_failure_waits_for_the_backoff_then_is_retried() {
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        outcomes.add(new Deliverer.DeliveryException("TSR-0702: connection refused"));
        assertEquals(0, outbox.drain());
        OutboxEntry e = store.open().get(0);
        assertEquals(OutboxEntry.State.PENDING, e.state());
        assertEquals(1, e.attempts());
        assertEquals(clock.instant().plusSeconds(2), e.nextAttempt());
        assertTrue(e.lastError().contains("connection refused"));
        assertEquals(JobState.DELIVERING, states.get("s"));

        clock.advance(Duration.ofMillis(1999));
        assertEquals(0, outbox.drain(), "not due yet");
        assertEquals(1, sends.size());
        clock.advance(Duration.ofMillis(1));
        assertEquals(1, outbox.drain());
        assertEquals(JobState.DONE, states.get("s"));
    }

    @Test
    void a_permanent_failure_parks_the_entry_at_once_with_its_reason_and_the_study_is_parked() {
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        outcomes.add(new Deliverer.DeliveryException("TSR-0701: did not store 1 of 1 object(s)", false));
        outbox.drain();
        OutboxEntry e = store.open().get(0);
        assertEquals(OutboxEntry.State.PARKED, e.state());
        assertTrue(e.lastError().startsWith("permanent: TSR-0701"), e.lastError());
        assertEquals(JobState.PARKED, states.get("s"));
        assertTrue(reasons.get("s").contains("TSR-0701"), reasons.get("s"));
    }

    @Test
    void the_last_allowed_attempt_parks_the_entry_and_replay_sends_it_again_with_attempts_reset() {
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "folder", "1.9", Path.of("/r/1.9.dcm"));
        for (int i = 0; i < 5; i++) {
            outcomes.add(new Deliverer.DeliveryException("TSR-0703: disk full"));
            outbox.drain();
            clock.advance(Duration.ofMinutes(1));
        }
        OutboxEntry e = store.open().get(0);
        assertEquals(OutboxEntry.State.PARKED, e.state());
        assertEquals(5, e.attempts());
        assertTrue(e.lastError().startsWith("gave up after 5 attempt(s)"), e.lastError());
        assertEquals(JobState.PARKED, states.get("s"));

        assertTrue(outbox.replay(e.id()));
        assertFalse(outbox.replay(e.id()), "a pending entry is not replayed");
        assertEquals(JobState.DELIVERING, states.get("s"));
        assertEquals(0, store.open().get(0).attempts());
        assertEquals(1, outbox.drain());
        assertEquals(JobState.DONE, states.get("s"));
    }

    @Test
    void an_entry_older_than_the_maximum_age_is_parked_on_its_next_failure() {
        states.put("s", JobState.DELIVERING);
        outbox.enqueue("s", 1, "folder", "1.9", Path.of("/r/1.9.dcm"));
        clock.advance(Duration.ofHours(2));
        outcomes.add(new Deliverer.DeliveryException("TSR-0703: disk full"));
        outbox.drain();
        assertTrue(store.open().get(0).lastError().contains("max age"), store.open().get(0).lastError());
        assertEquals(1, outbox.replayDestination("folder"));
    }

    @Test
    void an_unexpected_runtime_failure_of_a_send_is_retried_with_backoff_like_an_io_error() {
        Outbox failing = new Outbox(store, List.of(PACS), (d, e) -> {
            throw new IllegalStateException("bug");
        }, d -> {}, new Outbox.Studies() {
            @Override
            public Optional<JobState> state(String studyUid, int version) {
                return Optional.of(JobState.DELIVERING);
            }

            @Override
            public void set(String studyUid, int version, JobState state, String reason) {}
        }, CONFIG, clock, () -> 0.0);
        failing.enqueue("s", 1, "pacs", "1.9", Path.of("/r/1.9.dcm"));
        assertEquals(0, failing.drain());
        OutboxEntry e = store.open().get(0);
        assertEquals(OutboxEntry.State.PENDING, e.state());
        assertEquals(1, e.attempts());
        assertEquals(clock.instant().plusSeconds(2), e.nextAttempt());
        assertTrue(e.lastError().startsWith("TSR-0720") && e.lastError().contains("bug"), e.lastError());
    }

    @Test
    void consecutive_failures_open_the_circuit_and_only_a_successful_echo_resumes_sending() {
        states.put("s", JobState.DELIVERING);
        for (int i = 1; i <= 4; i++) outbox.enqueue("s", 1, "pacs", "1." + i, Path.of("/r/1." + i + ".dcm"));
        for (int i = 0; i < 3; i++) outcomes.add(new Deliverer.DeliveryException("TSR-0702: refused"));
        outbox.drain();
        assertEquals(3, sends.size(), "the circuit opens after the third failure; the fourth entry is not tried");
        assertTrue(outbox.circuitOpen("pacs"));

        clock.advance(Duration.ofMinutes(10));
        probes.add(new Deliverer.DeliveryException("TSR-0706: C-ECHO failed"));
        assertEquals(0, outbox.drain());
        assertEquals(1, probeCalls);
        assertEquals(3, sends.size(), "nothing is sent while the echo fails");
        outbox.drain();
        assertEquals(1, probeCalls, "the next probe waits for the backoff");

        clock.advance(Duration.ofMinutes(10));
        assertEquals(4, outbox.drain());
        assertEquals(2, probeCalls);
        assertFalse(outbox.circuitOpen("pacs"));
        assertEquals(JobState.DONE, states.get("s"));
    }

    static DestinationConfig dicom(String name) {
        return new DestinationConfig(name, "dicom", "PACS", "127.0.0.1", 104, null, null, null);
    }

    static DestinationConfig folder(String name) {
        return new DestinationConfig(name, "folder", null, null, 0, "results", null, null);
    }

}
