package io.tessera.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.listener.StudyIndex;
import io.tessera.routes.reports.ReportSource;
import io.tessera.routes.reports.ReportStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one index database — two instances of each store, each with its own pool — race for the same rows of
 * the routes' tables: one outbox entry per (destination, SOP instance), one sender per due entry, one stored report
 * per (source, id). On embedded H2 here, on a real PostgreSQL in {@link IndexTablesRacePostgresIT}.
 */
class IndexTablesRaceTest {
    static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    static final int ROUNDS = 20;

    @TempDir Path dir;
    final ExecutorService threads = Executors.newFixedThreadPool(2);

    String url() {
        return StudyIndex.defaultJdbcUrl(dir);
    }

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Runs both at once (released together by a barrier) and returns their results, the first's first. */
    <T> List<T> race(Callable<T> a, Callable<T> b) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        Future<T> fa = threads.submit(() -> { start.await(10, TimeUnit.SECONDS); return a.call(); });
        Future<T> fb = threads.submit(() -> { start.await(10, TimeUnit.SECONDS); return b.call(); });
        return List.of(fa.get(30, TimeUnit.SECONDS), fb.get(30, TimeUnit.SECONDS));
    }

    static long wins(List<Boolean> results) {
        return results.stream().filter(r -> r).count();
    }

    @Test
    void two_nodes_enqueueing_the_same_result_make_one_entry_and_exactly_one_takes_it() throws Exception {
        try (OutboxStore a = new OutboxStore(url()); OutboxStore b = new OutboxStore(url())) {
            for (int i = 0; i < ROUNDS; i++) {
                String sop = "1.5.9." + i;
                List<Boolean> added = race(() -> a.enqueue("1.5", 1, "pacs", sop, "results/" + sop + ".dcm", T0),
                        () -> b.enqueue("1.5", 1, "pacs", sop, "results/" + sop + ".dcm", T0));
                assertEquals(1, wins(added), "one entry per (destination, SOP instance): " + added);
            }
            List<OutboxEntry> due = a.due(T0);
            assertEquals(ROUNDS, due.size());
            Instant lease = T0.plus(Duration.ofMinutes(5));
            for (OutboxEntry e : due) {
                List<Boolean> taken = race(() -> a.claim(e.id(), "node-a", T0, lease), () -> b.claim(e.id(), "node-b", T0, lease));
                assertEquals(1, wins(taken), "one sender per entry: " + taken);
            }
            assertEquals(List.of(), b.due(T0.plusSeconds(1)), "taken entries are not due to anyone during the lease");
            assertEquals(ROUNDS, a.due(lease).size(), "a sender that died lets its entries fall due when the lease lapses");
            a.sent(due.get(0).id(), 1, T0.plusSeconds(2));
            assertFalse(b.claim(due.get(0).id(), "node-b", lease, lease.plusSeconds(60)), "a SENT entry is never taken again");
        }
    }

    @Test
    void two_nodes_storing_the_same_report_store_it_once() throws Exception {
        try (ReportStore a = new ReportStore(url()); ReportStore b = new ReportStore(url())) {
            for (int i = 0; i < ROUNDS; i++) {
                String n = Integer.toString(i);
                String id = "MSG-" + n;
                List<Boolean> created = race(
                        () -> a.add("1.6." + n, "ACC-" + n, ReportSource.HL7, id, "No acute findings.", T0).created(),
                        () -> b.add("1.6." + n, "ACC-" + n, ReportSource.HL7, id, "No acute findings.", T0).created());
                assertEquals(1, wins(created), "stored once: " + created);
                race(() -> { a.linkStudy("1.6." + n, "ACC-" + n); return true; },
                        () -> { b.linkStudy("1.6." + n, "ACC-" + n); return true; });
                assertEquals(List.of("1.6." + n), b.studiesFor("ACC-" + n));
                assertEquals(1, a.findFor("1.6." + n, null).size());
            }
        }
    }
}
