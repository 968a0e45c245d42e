package io.tessera.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.JobState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one index database — two {@link StudyIndex} instances, each with its own pool — race for the same
 * work; the database lets exactly one win each time. On embedded H2 here (two pools in one JVM), on a real
 * PostgreSQL in {@link StudyIndexRacePostgresIT}.
 */
class StudyIndexRaceTest {
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final int STUDIES = 20;

    @TempDir Path spool;
    StudyIndex nodeA;
    StudyIndex nodeB;
    final ExecutorService threads = Executors.newFixedThreadPool(2);

    String url() {
        return StudyIndex.defaultJdbcUrl(spool);
    }

    @BeforeEach
    void open() {
        nodeA = new StudyIndex(url(), spool);
        nodeB = new StudyIndex(url(), spool);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        nodeA.close();
        nodeB.close();
    }

    InstanceRecord instance(String study, String sop) {
        return new InstanceRecord(sop, study, study + ".1", "1.2.840.10008.5.1.4.1.1.2", "CT", "PACS",
                spool.resolve("incoming").resolve(study).resolve(study + ".1").resolve(sop + ".dcm"), 1000, T0);
    }

    /** Runs both at once (released together by a barrier) and returns their results, A's first. */
    <T> List<T> race(Callable<T> a, Callable<T> b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<T> fa = threads.submit(() -> { start.await(10, TimeUnit.SECONDS); return a.call(); });
        Future<T> fb = threads.submit(() -> { start.await(10, TimeUnit.SECONDS); return b.call(); });
        return List.of(fa.get(30, TimeUnit.SECONDS), fb.get(30, TimeUnit.SECONDS));
    }

    @Test
    void two_nodes_polling_at_once_complete_each_quiet_study_exactly_once() throws Exception {
        for (int i = 0; i < STUDIES; i++) nodeA.recordInstance(instance("1.9." + i, "1.9." + i + ".1"));
        Instant later = T0.plusSeconds(60);
        List<List<String>> claims = race(() -> nodeA.claimQuietStudies(later, Duration.ofSeconds(30)),
                () -> nodeB.claimQuietStudies(later, Duration.ofSeconds(30)));
        Set<String> union = new HashSet<>(claims.get(0));
        union.addAll(claims.get(1));
        assertEquals(STUDIES, claims.get(0).size() + claims.get(1).size(), "no study claimed twice: " + claims);
        assertEquals(STUDIES, union.size(), "every quiet study claimed");
        assertEquals(List.of(), nodeB.claimQuietStudies(later, Duration.ofSeconds(30)), "and nothing is left to claim");
    }

    @Test
    void of_two_nodes_starting_the_same_run_exactly_one_starts_it() throws Exception {
        for (int i = 0; i < STUDIES; i++) {
            String study = "1.8." + i;
            nodeA.recordInstance(instance(study, study + ".1"));
            assertEquals(List.of(study), nodeA.claimNow(Set.of(study)));
            List<Boolean> queued = race(() -> nodeA.markQueued(study), () -> nodeB.markQueued(study));
            assertEquals(1, queued.stream().filter(q -> q).count(), "queued once: " + queued);
            List<Boolean> started = race(() -> nodeA.startRun(study, 1), () -> nodeB.startRun(study, 1));
            assertEquals(1, started.stream().filter(s -> s).count(), "started once: " + started);
            assertEquals(JobState.RUNNING, nodeB.study(study).orElseThrow().state());
        }
    }

    @Test
    void a_study_whose_first_instances_land_on_two_nodes_at_once_is_one_study() throws Exception {
        List<Boolean> added = new ArrayList<>();
        for (int i = 0; i < STUDIES; i++) {
            String study = "1.7." + i;
            added.addAll(race(() -> nodeA.recordInstance(instance(study, study + ".1")),
                    () -> nodeB.recordInstance(instance(study, study + ".2"))));
            // the same instance sent to both nodes (a sender retrying through the load balancer) is indexed once
            List<Boolean> same = race(() -> nodeA.recordInstance(instance(study, study + ".3")),
                    () -> nodeB.recordInstance(instance(study, study + ".3")));
            assertEquals(1, same.stream().filter(s -> s).count(), "the same SOP instance indexed once: " + same);
            StudyRecord s = nodeA.study(study).orElseThrow();
            assertEquals(List.of(3, 1, JobState.RECEIVING), List.of(s.instanceCount(), s.version(), s.state()));
        }
        assertTrue(added.stream().allMatch(a -> a), "both instances were new");
        assertEquals(STUDIES, nodeB.studies().size());
    }
}
