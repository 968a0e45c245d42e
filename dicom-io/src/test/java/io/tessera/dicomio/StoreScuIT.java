package io.tessera.dicomio;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Segmentation;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** C-STORE and C-ECHO against a real dcmtk storescp on a free loopback port. */
class StoreScuIT {
    @TempDir Path dir;
    private Process storescp;
    private int port;
    private Path received;

    @BeforeEach
    void start_storescp() throws Exception {
        port = freePort();
        received = Files.createDirectories(dir.resolve("received"));
        storescp = StorescpPeer.start(dir, received, port);
        awaitEcho();
    }

    @AfterEach
    void stop_storescp() throws Exception {
        StorescpPeer.stop(storescp);
    }

    @Test
    void stores_a_ct_series_and_its_seg_in_one_association() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu")), dir.resolve("ct"));
        SourceSeries src = new SeriesReader().read(ct);
        Path seg = dir.resolve("seg.dcm");
        SegInfo info = new SegWriter().write(new Segmentation(src, Fixtures.labels(src.volume().grid()), Fixtures.LABELS,
                Fixtures.MODEL), SegSpec.forModel(src, Fixtures.MODEL, "v1"), seg);
        List<Path> all = new ArrayList<>(ct);
        all.add(seg);

        StoreReport report = new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", all);

        assertTrue(report.allStored(), () -> report.failures().toString());
        assertEquals(all.size(), report.files().size());
        assertEquals(info.sopInstanceUid(), report.files().get(all.size() - 1).sopInstanceUid());
        try (Stream<Path> s = Files.list(received)) {
            List<String> names = s.map(p -> p.getFileName().toString()).toList();
            assertEquals(all.size(), names.size(), names::toString);
            assertTrue(names.stream().anyMatch(n -> n.startsWith("SG")), () -> "no SEG received: " + names);
        }
    }

    @Test
    void answers_a_c_echo() {
        assertDoesNotThrow(() -> new StoreScu().echo("127.0.0.1", port, "TESSERA", "PEER"),
                "C-ECHO to a live storescp must succeed (a failure throws DicomNetworkException)");
    }

    @Test
    void reports_unreadable_files_as_failed_and_sends_the_rest() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu2")), dir.resolve("ct"));
        Path junk = Files.write(dir.resolve("junk.dcm"), new byte[] {0, 1, 2});
        List<Path> files = List.of(ct.get(0), junk, ct.get(1));

        StoreReport report = new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", files);

        assertEquals(2, report.storedCount());
        assertEquals(StoreReport.Status.FAILED, report.files().get(1).status());
    }

    @Test
    void throws_when_no_association_can_be_made() throws Exception {
        int closed = freePort();
        DicomNetworkException e = assertThrows(DicomNetworkException.class,
                () -> new StoreScu().echo("127.0.0.1", closed, "TESSERA", "PEER"));
        assertTrue(e.getMessage().startsWith("TSR-0401"), e.getMessage());
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu3")), dir.resolve("ct"));
        assertThrows(DicomNetworkException.class, () -> new StoreScu().send("127.0.0.1", closed, "TESSERA", "PEER", ct));
    }

    @Test
    void a_refused_association_is_a_permanent_rejection_and_a_closed_port_is_connection_refused() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu4")), dir.resolve("ct"));
        int refusing = freePort();
        Process p = storescp(refusing, "--refuse");
        try {
            DicomNetworkException e = assertThrows(DicomNetworkException.class, () -> awaitSend(p, refusing, ct));
            assertEquals(DicomNetworkException.Kind.REJECTED_PERMANENT, e.kind(), e.getMessage());
        } finally {
            stop(p);
        }
        DicomNetworkException closed = assertThrows(DicomNetworkException.class,
                () -> new StoreScu().send("127.0.0.1", freePort(), "TESSERA", "PEER", ct));
        assertEquals(DicomNetworkException.Kind.CONNECTION_REFUSED, closed.kind(), closed.getMessage());
    }

    @Test
    void a_peer_that_aborts_before_answering_leaves_the_object_not_sent_with_the_reason() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu5")), dir.resolve("ct")).subList(0, 2);
        int aborting = freePort();
        Process p = storescp(aborting, "--abort-after");
        try {
            StoreReport report = awaitSend(p, aborting, ct);
            assertEquals(0, report.storedCount());
            assertEquals(StoreReport.Status.NOT_SENT, report.files().get(0).status(), report.files().toString());
            assertTrue(String.valueOf(report.associationProblem()).contains("ended with 0 of 2 answered"), report.associationProblem());
        } finally {
            stop(p);
        }
    }

    @Test
    void a_peer_slower_than_the_timeout_leaves_the_object_not_sent_instead_of_hanging() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu6")), dir.resolve("ct")).subList(0, 1);
        int slow = freePort();
        Process p = storescp(slow, "--sleep-during", "20");
        try {
            new StoreScuIT.Echo(p, slow).await();
            long start = System.nanoTime();
            StoreReport report = awaitSend(p, slow, ct, java.time.Duration.ofMillis(700));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(StoreReport.Status.NOT_SENT, report.files().get(0).status(), report.files().toString());
            assertTrue(millis < 10_000, "bounded by the timeout, took " + millis + " ms");
        } finally {
            stop(p);
        }
    }

    @Test
    void a_peer_that_accepts_and_never_answers_times_out_on_association_and_on_c_echo() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu8")), dir.resolve("ct")).subList(0, 1);
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // accepted, never answered
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            java.time.Duration t = java.time.Duration.ofMillis(500);
            DicomNetworkException store = assertThrows(DicomNetworkException.class,
                    () -> new StoreScu().send("127.0.0.1", silent.getLocalPort(), "TESSERA", "PEER", ct, null, t));
            assertEquals(DicomNetworkException.Kind.TIMEOUT, store.kind(), store.getMessage());
            DicomNetworkException echo = assertThrows(DicomNetworkException.class,
                    () -> new StoreScu().echo("127.0.0.1", silent.getLocalPort(), "TESSERA", "PEER", t));
            assertEquals(DicomNetworkException.Kind.TIMEOUT, echo.kind(), echo.getMessage());
            for (java.net.Socket s : held) s.close();
        }
        assertDoesNotThrow(() -> new StoreScu().echo("127.0.0.1", port, "TESSERA", "PEER", java.time.Duration.ofSeconds(5)),
                "the timed C-ECHO succeeds against a live peer");
        StoreReport report = new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", ct, null, java.time.Duration.ofSeconds(5));
        assertTrue(report.allStored(), report.files().toString());
    }

    @Test
    void a_success_carries_status_0000() throws Exception {
        List<Path> ct = new CtSeriesWriter().write(Fixtures.ct(Fixtures.grid()), Fixtures.STUDY,
                Fixtures.ctSpec(Uids.derive("scu7")), dir.resolve("ct")).subList(0, 1);
        StoreReport report = new StoreScu().send("127.0.0.1", port, "TESSERA", "PEER", ct);
        assertEquals(0x0000, report.files().get(0).dimseStatus());
        assertEquals("0000", report.files().get(0).statusHex());
    }

    private Process storescp(int p, String... options) throws IOException {
        return StorescpPeer.start(dir, received, p, options);
    }

    /** Sends once the peer listens (a refused connection before that is retried, bounded). */
    private StoreReport awaitSend(Process p, int peerPort, List<Path> files) throws Exception {
        return awaitSend(p, peerPort, files, null);
    }

    /** Waits until the peer answers a C-ECHO. */
    private record Echo(Process p, int peerPort) {
        void await() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try {
                    new StoreScu().echo("127.0.0.1", peerPort, "TESSERA", "PEER");
                    return;
                } catch (DicomNetworkException e) {
                    if (!p.isAlive() || System.nanoTime() > deadline) throw e;
                    Thread.sleep(50);
                }
            }
        }
    }

    private StoreReport awaitSend(Process p, int peerPort, List<Path> files, java.time.Duration timeout) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return new StoreScu().send("127.0.0.1", peerPort, "TESSERA", "PEER", files, null, timeout);
            } catch (DicomNetworkException e) {
                if (e.kind() != DicomNetworkException.Kind.CONNECTION_REFUSED || !p.isAlive() || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    private static void stop(Process p) throws InterruptedException {
        StorescpPeer.stop(p);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Waits for storescp to listen by echoing it (bounded retries: there is no readiness signal to wait on). */
    private void awaitEcho() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                new StoreScu().echo("127.0.0.1", port, "TESSERA", "PEER");
                return;
            } catch (DicomNetworkException e) {
                if (!storescp.isAlive() || System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }
}
