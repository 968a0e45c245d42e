package io.tessera.routes.reports;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MLLP listener over real TCP on loopback: framed ORU^R01 in, ACK codes out, reports in the store. */
class Hl7RouteIT {
    static final byte VT = 0x0b, FS = 0x1c, CR = 0x0d;
    @TempDir Path dir;
    ReportStore store;
    CamelContext camel;
    int port;
    final List<Report> arrived = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        store = new ReportStore("jdbc:h2:file:" + dir.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE");
        Clock clock = Clock.systemUTC();
        Hl7ReportHandler handler = new Hl7ReportHandler(new ReportIntake(store, (r, s) -> arrived.add(r), clock), "OBR-3", clock);
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        camel = new DefaultCamelContext();
        camel.addRoutes(new Hl7Route(handler, "127.0.0.1", port));
        camel.start();
    }

    @AfterEach
    void stop() {
        camel.stop();
        store.close();
    }

    static void send(OutputStream out, byte[] payload) throws IOException {
        out.write(VT);
        out.write(payload);
        out.write(FS);
        out.write(CR);
        out.flush();
    }

    /** Reads one MLLP frame (VT … FS CR) and returns its content. */
    static String receive(InputStream in) throws IOException {
        int b = in.read();
        assertEquals(VT, b, "an MLLP frame starts with VT");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        while ((b = in.read()) != FS) {
            if (b < 0) throw new IOException("connection closed inside a frame");
            buf.write(b);
        }
        assertEquals(CR, in.read(), "an MLLP frame ends with FS CR");
        return buf.toString(StandardCharsets.ISO_8859_1);
    }

    String exchange(Socket s, String message) throws IOException {
        send(s.getOutputStream(), message.getBytes(StandardCharsets.ISO_8859_1));
        return receive(s.getInputStream());
    }

    static String msa1(String ack) {
        return Hl7ReportHandlerTest.field(Hl7ReportHandlerTest.segment(ack, "MSA"), 1);
    }

    Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(15_000);
        return s;
    }

    @Test
    void oru_messages_over_mllp_are_acknowledged_and_stored_and_bad_ones_do_not_stop_the_listener() throws Exception {
        try (Socket s = connect()) {
            String ack = exchange(s, Oru.report("IT-1", "ACC-IT-1"));
            assertEquals("AA", msa1(ack), ack);
            assertEquals("IT-1", Hl7ReportHandlerTest.field(Hl7ReportHandlerTest.segment(ack, "MSA"), 2));
            Report r = store.findFor(null, "ACC-IT-1").get(0);
            assertEquals(Oru.STUDY_UID, r.studyInstanceUid());
            assertTrue(r.text().startsWith("8 mm nodule in the right lower lobe."));
            assertEquals(1, arrived.size());

            String noAccession = Oru.report("IT-2", "").replace("ZDS|" + Oru.STUDY_UID + "^100^Application^DICOM\r", "");
            assertEquals("AR", msa1(exchange(s, noAccession)));
            String adt = "MSH|^~\\&|ADT|HOSP|TESSERA|AI|20250101120000||ADT^A01|IT-3|P|2.5\rPID|1||X\r";
            assertEquals("AR", msa1(exchange(s, adt)));
            byte[] garbage = new byte[300];
            new Random(7).nextBytes(garbage);
            for (int i = 0; i < garbage.length; i++) if (garbage[i] == VT || garbage[i] == FS) garbage[i] = 'x';
            send(s.getOutputStream(), garbage);
            assertEquals("AR", msa1(receive(s.getInputStream())));

            assertEquals("AA", msa1(exchange(s, Oru.report("IT-4", "ACC-IT-4"))), "the same connection still serves");
        }
        try (Socket raw = connect()) { // unframed noise, then the peer goes away
            raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
        }
        try (Socket s = connect()) {
            assertEquals("AA", msa1(exchange(s, Oru.report("IT-5", "ACC-IT-5"))), "a new connection is served");
            assertEquals("AA", msa1(exchange(s, Oru.report("IT-5", "ACC-IT-5"))), "a resend is acknowledged");
        }
        assertEquals(1, store.findFor(null, "ACC-IT-5").size(), "and stored once");
        assertEquals(3, arrived.size());
    }
}
