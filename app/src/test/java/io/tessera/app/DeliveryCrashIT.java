package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.tessera.core.Uids;
import io.tessera.testkit.ExternalTool;
import io.tessera.testkit.FreePorts;
import io.tessera.testkit.OrthancPeer;
import io.tessera.testkit.PhantomStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real Tessera process in the worst moment of a delivery: the destination (a real Orthanc) has stored the
 * SEG, but its C-STORE response has not reached Tessera, so the outbox entry is still PENDING. After a restart the
 * outbox sends the SEG again — with the same SOP Instance UID, so Orthanc still holds exactly one SEG for the study.
 * A small relay between Tessera and Orthanc holds back Orthanc's P-DATA PDUs (the C-STORE response) while {@code hold}
 * is set; association set-up passes, so the SEG is really sent and stored.
 */
class DeliveryCrashIT {
    private static final String MODEL = "ct-phantom-organs";
    private static final String MODEL_VERSION = CommittedModels.version(MODEL);
    @TempDir Path work;
    private ServerProcess tessera;
    private OrthancPeer orthanc;
    private Relay relay;

    @AfterEach
    void stopEverythingByPid() throws Exception {
        ServerConfig.stop(tessera, relay, orthanc);
    }

    @Test
    void kill_9_after_the_destination_stored_the_seg_but_before_its_response_arrived_delivers_it_once_after_restart()
            throws Exception {
        int orthancPort = FreePorts.next();
        orthanc = OrthancPeer.start(work.resolve("orthanc"), "ORTHANC", orthancPort, false);
        relay = Relay.start(orthancPort);
        relay.hold = true;
        ServerConfig config = ServerConfig.in(work)
                .section("delivery: { initialBackoff: 200ms, maxBackoff: 2s, maxAttempts: 100 }")
                .dicom("pacs", "ORTHANC", relay.port(), "timeout: 10m").ctRoute(MODEL, "pacs");
        int dicomPort = config.dicomPort();
        tessera = config.startProcess(work.resolve("server.log"));
        PhantomStudy study = PhantomStudy.write(new PhantomSpec(7201, 96, 96, 24, 4.0, 6.0, 1, PhantomSpec.DEFAULT_NOISE_HU, 1),
                work.resolve("study"));
        String uid = study.study().studyInstanceUid();
        ExternalTool.Result sent = ExternalTool.storescu("127.0.0.1", dicomPort, "STORESCU", "TESSERA", study.files());
        assertEquals(0, sent.exitCode(), sent.output());

        await(() -> OrthancSegs.count(orthanc, uid) == 1, "Orthanc to store the SEG");
        JsonNode outbox = tessera.get("/api/outbox");
        assertEquals(1, outbox.size(), outbox.toString());
        assertEquals("PENDING", outbox.get(0).path("state").asText(), "the response is held: not yet SENT " + outbox);
        assertEquals("DELIVERING", tessera.study(uid).path("state").asText());
        tessera.kill9();
        int associationsBeforeRestart = relay.connections.get();

        relay.hold = false;
        tessera = config.startProcess(work.resolve("server.log"));
        await(() -> tessera.study(uid).path("state").asText().equals("DONE"), "the study to be DONE after restart");
        assertEquals(0, tessera.get("/api/outbox").size(), "nothing left in the outbox");
        assertTrue(relay.connections.get() > associationsBeforeRestart, "the SEG was sent again after the restart");
        String expectedSop = Uids.derive(Uids.derive(uid, study.seriesInstanceUid(), "1", MODEL, MODEL_VERSION, "seg-series"), "seg");
        assertEquals(List.of(expectedSop), OrthancSegs.sopInstanceUids(orthanc, uid), "Orthanc holds one SEG, with the same UID");
    }

    private void await(Callable<Boolean> check, String what) {
        try {
            Awaits.within(Duration.ofMinutes(2)).until(check);
        } catch (ConditionTimeoutException e) {
            fail("timed out waiting for " + what + "\n" + tessera.tail());
        }
    }

    /** A TCP relay to a DICOM peer that forwards everything but, while {@code hold}, the peer's P-DATA-TF PDUs. */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        volatile boolean hold;

        private Relay(ServerSocket server, int target) {
            this.server = server;
            this.target = target;
        }

        static Relay start(int target) throws IOException {
            Relay r = new Relay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
            Thread t = new Thread(r::accept, "relay");
            t.setDaemon(true);
            t.start();
            return r;
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket peer = new Socket(InetAddress.getLoopbackAddress(), target);
                    sockets.add(client);
                    sockets.add(peer);
                    connections.incrementAndGet();
                    daemon(() -> copy(client.getInputStream(), peer.getOutputStream()));
                    daemon(() -> pdus(peer.getInputStream(), client.getOutputStream()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        private interface Io {
            void run() throws IOException;
        }

        private static void daemon(Io body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (IOException closed) {
                    // the other side went away (or the test closed the relay)
                }
            }, "relay-io");
            t.setDaemon(true);
            t.start();
        }

        private static void copy(InputStream in, OutputStream out) throws IOException {
            in.transferTo(out);
            out.close();
        }

        private void pdus(InputStream in, OutputStream out) throws IOException {
            DataInputStream din = new DataInputStream(in);
            byte[] header = new byte[6];
            while (true) {
                din.readFully(header);
                int length = ((header[2] & 0xff) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8) | (header[5] & 0xff);
                byte[] body = new byte[length];
                din.readFully(body);
                if (hold && header[0] == 0x04) continue; // P-DATA-TF: the C-STORE response is swallowed
                out.write(header);
                out.write(body);
                out.flush();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) s.close();
        }
    }
}
