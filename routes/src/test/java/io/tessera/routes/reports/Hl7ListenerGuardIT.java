package io.tessera.routes.reports;

import static io.tessera.routes.reports.Hl7RouteIT.msa1;
import static io.tessera.routes.reports.Hl7RouteIT.receive;
import static io.tessera.routes.reports.Hl7RouteIT.send;
import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.Hl7Config;
import io.tessera.testkit.MllpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLLP listener's front door over real TCP on loopback: frame size limit, idle timeout and per-address cap,
 * sender allow-lists, and no PHI in the log whatever arrives. Other loopback addresses (127.0.0.2, …) stand for
 * other hosts.
 */
class Hl7ListenerGuardIT {
    static final String MARKER = "ZZMARKER^PHITEST";
    static final int MAX_FRAME = 64 * 1024;
    static final Path LOG = Path.of("target", "test-logs", "routes.log");
    @TempDir Path dir;
    ReportStore store;
    CamelContext camel;
    int port;

    void start(List<String> allowedSenders, List<String> allowedApplications) throws Exception {
        store = new ReportStore("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
        Clock clock = Clock.systemUTC();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Hl7Config config = new Hl7Config(true, "127.0.0.1", port, "OBR-3", MAX_FRAME, Duration.ofSeconds(1), 8, 2,
                allowedSenders, allowedApplications);
        Hl7ReportHandler handler = new Hl7ReportHandler(new ReportIntake(store, (r, s) -> {}, clock), "OBR-3", clock,
                new Hl7Senders(allowedSenders, allowedApplications));
        camel = new DefaultCamelContext();
        camel.addRoutes(new Hl7Route(handler, config));
        camel.start();
    }

    @AfterEach
    void stop() {
        if (camel != null) camel.stop();
        if (store != null) store.close();
    }

    /** An ORU from {@code app}^{@code facility} whose patient is the PHI marker. */
    static String oru(String controlId, String accession, String app, String facility) {
        return Oru.report(controlId, accession).replace("MSH|^~\\&|RIS|HOSP|", "MSH|^~\\&|" + app + "|" + facility + "|")
                .replace("Doe^John", MARKER);
    }

    Socket connect(String from) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(from), 0);
        s.setSoTimeout(15_000);
        return s;
    }

    /** Whether the peer has closed (or reset) {@code s} within {@code within}. */
    static boolean closedByPeer(Socket s, Duration within) throws IOException {
        s.setSoTimeout((int) within.toMillis());
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    /** Sends a frame start and {@code bytes} of content without an end block; returns how long until the write failed. */
    static Duration oversize(Socket s, int bytes) {
        long t0 = System.nanoTime();
        try {
            OutputStream out = s.getOutputStream();
            out.write(0x0b);
            out.write(oru("BIG-1", "ACC-BIG", "RIS", "HOSP").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'A');
            for (int sent = 0; sent < bytes; sent += chunk.length) out.write(chunk);
            out.flush();
            fail("the listener took all " + bytes + " bytes of an unterminated frame");
        } catch (IOException expected) {
            // reset by the listener
        }
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Test
    void a_frame_over_the_maximum_is_refused_at_once_and_the_port_still_serves() throws Exception {
        start(List.of(), List.of());
        try (Socket s = connect("127.0.0.1")) {
            Duration took = oversize(s, 64 * 1024 * 1024);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "refused after " + took);
        }
        String ack = MllpClient.exchange(port, oru("OK-1", "ACC-OK-1", "RIS", "HOSP"));
        assertEquals("AA", msa1(ack), ack);
        assertEquals(1, store.findFor(null, "ACC-OK-1").size());
    }

    @Test
    void silent_connections_do_not_lock_out_a_sender_and_are_closed_when_idle() throws Exception {
        start(List.of(), List.of());
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) silent.add(connect("127.0.0.2")); // 10 > maxConnections (8)
            Thread.sleep(200);
            long t0 = System.nanoTime();
            String ack = MllpClient.exchange(port, oru("OK-2", "ACC-OK-2", "RIS", "HOSP"));
            assertEquals("AA", msa1(ack), ack);
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "the sender was served at once");
            for (Socket s : silent) {
                assertTrue(closedByPeer(s, Duration.ofSeconds(5)), "a silent connection is closed (cap or idle timeout)");
            }
        } finally {
            for (Socket s : silent) s.close();
        }
        try (Socket s = connect("127.0.0.2")) { // and that address may connect again once its connections are gone
            send(s.getOutputStream(), oru("OK-3", "ACC-OK-3", "RIS", "HOSP").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("AA", msa1(receive(s.getInputStream())));
        }
        try (Socket s = connect("127.0.0.1")) { // a connection in use outlives the idle timeout (1s)
            for (int i = 0; i < 3; i++) {
                assertEquals("AA", msa1(exchange(s, oru("BUSY-" + i, "ACC-BUSY-" + i, "RIS", "HOSP"))), "message " + i);
                Thread.sleep(700);
            }
        }
    }

    @Test
    void senders_not_allowed_are_refused_by_address_and_by_application() throws Exception {
        start(List.of("127.0.0.1", "10.0.0.0/8"), List.of("RIS^HOSP", "OTHERRIS"));
        try (Socket s = connect("127.0.0.1")) {
            assertEquals("AA", msa1(exchange(s, oru("A-1", "ACC-A-1", "ris", "hosp"))), "allowed, in any case");
            assertEquals("AA", msa1(exchange(s, oru("A-2", "ACC-A-2", "OTHERRIS", "ELSEWHERE"))), "any facility");
            String ack = exchange(s, oru("A-3", "ACC-A-3", "RIS", "ELSEWHERE"));
            assertEquals("AR", msa1(ack), ack);
            assertTrue(ack.contains("TSR-0867"), ack);
            assertFalse(ack.contains("ZZMARKER"), ack);
            assertEquals("AR", msa1(exchange(s, oru("A-4", "ACC-A-4", "LAB", "HOSP"))));
        }
        assertEquals(List.of(), store.findFor(null, "ACC-A-3"));
        assertEquals(List.of(), store.findFor(null, "ACC-A-4"));
        try (Socket s = connect("127.0.0.3")) {
            try {
                send(s.getOutputStream(), oru("A-5", "ACC-A-5", "RIS", "HOSP").getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException resetBeforeTheWrite) {
                // refused as soon as accepted: that is the point
            }
            assertTrue(closedByPeer(s, Duration.ofSeconds(2)), "an address not allowed is closed without an answer");
        }
        assertEquals(List.of(), store.findFor(null, "ACC-A-5"));
    }

    @Test
    void no_log_line_ever_holds_the_patient_name_whatever_arrives() throws Exception {
        long logStart = Files.exists(LOG) ? Files.size(LOG) : 0; // the file collects every run's log; read this test's part
        start(List.of("127.0.0.1"), List.of("RIS^HOSP"));
        try (Socket s = connect("127.0.0.1")) {
            assertEquals("AA", msa1(exchange(s, oru("P-1", "ACC-P-1", "RIS", "HOSP"))), "valid");
            assertEquals("AR", msa1(exchange(s, oru("P-2", "ACC-P-2", "LAB", "HOSP"))), "application refused");
            String malformed = "MSH|^~\\&|RIS|HOSP|TESSERA|AI|20250101120000||ORU^R01^ORU_R01|P-3|P|2.5.1\rPID|1||X||"
                    + MARKER + "\rOBR|1|||\u0001\rOBX|1|ZZ|broken|" + MARKER + "\r";
            assertEquals("AR", msa1(exchange(s, malformed)), "malformed");
            assertEquals("AR", msa1(exchange(s, "PID|1||X||" + MARKER + "\r")), "no MSH at all");
            // bytes outside a frame, then a valid frame on the same connection
            s.getOutputStream().write(("PID|1||X||" + MARKER + "\r").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals("AA", msa1(exchange(s, oru("P-4", "ACC-P-4", "RIS", "HOSP"))), "after out-of-band bytes");
        }
        try (Socket s = connect("127.0.0.1")) { // a frame that stops in the middle: Camel times it out
            s.getOutputStream().write(0x0b);
            s.getOutputStream().write(oru("P-5", "ACC-P-5", "RIS", "HOSP").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            assertTrue(closedByPeer(s, Duration.ofMillis(Hl7Route.READ_TIMEOUT_MS + 5_000)), "a stalled frame is cut off");
        }
        try (Socket s = connect("127.0.0.1")) {
            oversize(s, 16 * 1024 * 1024);
        }
        try (Socket s = connect("127.0.0.2")) { // refused address
            s.getOutputStream().write(0x0b);
            s.getOutputStream().write(oru("P-6", "ACC-P-6", "RIS", "HOSP").getBytes(StandardCharsets.ISO_8859_1));
            closedByPeer(s, Duration.ofSeconds(2));
        } catch (IOException reset) {
            // refused before the write finished
        }
        Thread.sleep(500);
        byte[] all = Files.readAllBytes(LOG);
        String logged = new String(all, (int) logStart, all.length - (int) logStart, StandardCharsets.ISO_8859_1);
        assertTrue(logged.contains("TSR-0867") && logged.contains("P-2") && logged.contains("TSR-0869"),
                "the log was written by this test: " + LOG);
        assertFalse(logged.contains("ZZMARKER") || logged.contains("PHITEST"), "PHI in " + LOG.toAbsolutePath() + ":\n"
                + logged.lines().filter(l -> l.contains("ZZMARKER") || l.contains("PHITEST")).limit(5).toList());
    }

    static String exchange(Socket s, String message) throws IOException {
        send(s.getOutputStream(), message.getBytes(StandardCharsets.ISO_8859_1));
        return receive(s.getInputStream());
    }
}
