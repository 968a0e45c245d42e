package io.tessera.listener;

import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** P-DATA reassembly and the upper-layer checks, on byte streams built by hand. */
class DimseReaderTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final int MAX_PDU = 16384;

    private final ByteArrayOutputStream answers = new ByteArrayOutputStream();
    private final AtomicInteger releases = new AtomicInteger();

    private DimseReader reader(byte[] stream, long maxData) {
        return new DimseReader(new DataInputStream(new ByteArrayInputStream(stream)), answers, MAX_PDU, maxData,
                id -> id == 1, (id, first) -> null, releases::incrementAndGet);
    }

    private static byte[] pdv(int pc, boolean command, boolean last, byte[] value) {
        return ByteBuffer.allocate(6 + value.length).putInt(2 + value.length).put((byte) pc)
                .put((byte) ((command ? 1 : 0) | (last ? 2 : 0))).put(value).array();
    }

    private static byte[] pdu(int type, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        return UpperLayer.pdu(type, body.toByteArray());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void hands_each_data_fragment_to_the_instance_stream_as_it_arrives_and_drops_the_stream_of_an_oversized_one()
            throws Exception {
        byte[] command = new CStoreRequestCommandMessage(CT, "1.2.3.4").getBytes();
        byte[] data = bytes(30_000, 2);
        byte[] big = bytes(3_000, 3);
        byte[] stream = concat(
                pdu(4, pdv(1, true, true, command), pdv(1, false, false, Arrays.copyOf(data, 10_000))),
                pdu(4, pdv(1, false, false, Arrays.copyOfRange(data, 10_000, 20_000))),
                pdu(4, pdv(1, false, true, Arrays.copyOfRange(data, 20_000, data.length))),
                pdu(4, pdv(1, true, true, new CStoreRequestCommandMessage(CT, "1.2.3.5").getBytes())),
                pdu(4, pdv(1, false, false, Arrays.copyOf(big, 1_500))),
                pdu(4, pdv(1, false, true, Arrays.copyOfRange(big, 1_500, big.length))));
        List<ByteArrayOutputStream> opened = new java.util.ArrayList<>();
        DimseReader r = new DimseReader(new DataInputStream(new ByteArrayInputStream(stream)), answers, MAX_PDU, 32_000,
                id -> id == 1, (id, first) -> null, releases::incrementAndGet, () -> {
                    ByteArrayOutputStream got = new ByteArrayOutputStream();
                    opened.add(got);
                    return got::writeBytes;
                });
        DimseReader.Request first = r.next();
        assertNotNull(first.stream());
        assertArrayEquals(data, opened.get(0).toByteArray(), "every fragment streamed, in order");
        // 3,000 more bytes would pass 32,000 in all but each request has its own limit: the second is within it
        DimseReader.Request second = r.next();
        assertArrayEquals(big, opened.get(1).toByteArray());
        assertNotNull(second.stream());

        byte[] tooBig = concat(pdu(4, pdv(1, true, true, command), pdv(1, false, false, bytes(15_000, 4))),
                pdu(4, pdv(1, false, false, bytes(15_000, 5))), pdu(4, pdv(1, false, true, bytes(15_000, 6))));
        DimseReader over = new DimseReader(new DataInputStream(new ByteArrayInputStream(tooBig)), answers, MAX_PDU, 32_000,
                id -> id == 1, (id, first2) -> null, releases::incrementAndGet, () -> new ByteArrayOutputStream()::writeBytes);
        DimseReader.Request refused = over.next();
        assertTrue(refused.oversized());
        assertNull(refused.stream(), "an oversized instance's stream is never committed");
    }

    @Test
    void reassembles_a_command_split_over_two_pdvs_and_a_data_set_over_several_pdus() throws Exception {
        byte[] command = new CStoreRequestCommandMessage(CT, "1.2.3.4").getBytes();
        byte[] data = bytes(40_000, 1);
        byte[] stream = concat(
                pdu(4, pdv(1, true, false, Arrays.copyOf(command, 10))),
                pdu(4, pdv(1, true, true, Arrays.copyOfRange(command, 10, command.length)),
                        pdv(1, false, false, Arrays.copyOf(data, 1000))),
                pdu(4, pdv(1, false, false, Arrays.copyOfRange(data, 1000, 16_000))),
                pdu(4, pdv(1, false, false, new byte[0]), pdv(1, false, false, Arrays.copyOfRange(data, 16_000, 30_000))),
                pdu(4, pdv(1, false, true, Arrays.copyOfRange(data, 30_000, data.length))),
                pdu(4, pdv(1, true, true, new CEchoRequestCommandMessage().getBytes())));
        DimseReader r = reader(stream, 1 << 20);
        DimseReader.Request store = r.next();
        assertEquals(CommandSet.C_STORE_RQ, store.command().commandField());
        assertEquals("1.2.3.4", store.command().affectedSopInstanceUid());
        assertEquals(data.length, store.dataLength());
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        store.data().forEach(joined::writeBytes);
        assertArrayEquals(data, joined.toByteArray());
        assertFalse(store.oversized());
        DimseReader.Request echo = r.next();
        assertEquals(CommandSet.C_ECHO_RQ, echo.command().commandField());
        assertTrue(echo.data().isEmpty());
        assertThrows(EOFException.class, r::next, "a peer that vanishes is an end of stream, not a request");
    }

    @Test
    void drains_a_data_set_beyond_the_instance_limit_and_goes_on() throws Exception {
        byte[] command = new CStoreRequestCommandMessage(CT, "1.2.3.4").getBytes();
        byte[] stream = concat(pdu(4, pdv(1, true, true, command), pdv(1, false, false, bytes(6000, 2))),
                pdu(4, pdv(1, false, true, bytes(6000, 3))),
                pdu(4, pdv(1, true, true, new CEchoRequestCommandMessage().getBytes())));
        DimseReader r = reader(stream, 10_000);
        DimseReader.Request store = r.next();
        assertTrue(store.oversized());
        assertTrue(store.data().isEmpty(), "nothing kept");
        assertEquals(12_000, store.dataLength());
        assertEquals(CommandSet.C_ECHO_RQ, r.next().command().commandField());
    }

    @Test
    void a_p_data_longer_than_announced_is_refused_before_it_is_read() {
        byte[] head = ByteBuffer.allocate(6).put((byte) 4).put((byte) 0).putInt(MAX_PDU + 1).array();
        UpperLayer.ProtocolViolation v = assertThrows(UpperLayer.ProtocolViolation.class, () -> reader(head, 1 << 20).next());
        assertTrue(v.oversizedPdu);
        assertEquals(UpperLayer.ABORT_REASON_INVALID_PDU_PARAMETER, v.abortReason);
        assertTrue(v.getMessage().startsWith("TSR-0218"));
        byte[] release = ByteBuffer.allocate(6).put((byte) 5).put((byte) 0).putInt((int) UpperLayer.MAX_OTHER_PDU + 1).array();
        assertTrue(assertThrows(UpperLayer.ProtocolViolation.class, () -> reader(release, 1 << 20).next()).oversizedPdu);
    }

    @Test
    void a_pdv_that_overruns_its_pdu_or_breaks_the_order_is_a_protocol_violation() throws Exception {
        byte[] command = new CStoreRequestCommandMessage(CT, "1.2.3.4").getBytes();
        byte[] overrun = pdu(4, pdv(1, true, true, command));
        ByteBuffer.wrap(overrun).putInt(6, command.length + 50); // PDV item length beyond the PDU
        assertViolation(overrun, "TSR-0213");
        byte[] tiny = pdu(4, new byte[] {0, 0, 0, 1, 1});
        assertViolation(tiny, "TSR-0213");
        assertViolation(pdu(4, pdv(1, false, true, bytes(10, 4))), "TSR-0213: data set fragment before");
        assertViolation(pdu(4, pdv(3, true, true, command)), "TSR-0219");
        assertViolation(pdu(4, pdv(1, true, false, Arrays.copyOf(command, 10)), pdv(5, true, true, command)), "TSR-0213: fragment on");
        assertViolation(pdu(4, pdv(1, true, true, command), pdv(1, true, true, command)), "TSR-0213: command fragment");
        assertViolation(pdu(4, pdv(1, true, true, new byte[] {1, 2, 3})), "TSR-0213: command set ends");
    }

    @Test
    void a_command_set_cannot_grow_without_limit() {
        byte[] piece = new byte[MAX_PDU - 6];
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i * piece.length <= DimseReader.MAX_COMMAND_BYTES; i++) {
            stream.writeBytes(pdu(4, pdv(1, true, false, piece)));
        }
        assertViolation(stream.toByteArray(), "TSR-0213: command set longer");
    }

    @Test
    void answers_release_and_reports_abort_and_unknown_pdus() throws Exception {
        DimseReader released = reader(pdu(5, new byte[4]), 1 << 20);
        assertThrows(UpperLayer.Released.class, released::next);
        assertEquals(1, releases.get(), "pending work is awaited before the answer");
        assertArrayEquals(new byte[] {6, 0, 0, 0, 0, 4, 0, 0, 0, 0}, answers.toByteArray(), "A-RELEASE-RP");
        assertThrows(UpperLayer.PeerAborted.class, () -> reader(pdu(7, new byte[] {0, 0, 0, 0}), 1 << 20).next());
        UpperLayer.ProtocolViolation unknown = assertThrows(UpperLayer.ProtocolViolation.class,
                () -> reader(pdu(0x11, new byte[4]), 1 << 20).next());
        assertEquals(UpperLayer.ABORT_REASON_UNRECOGNISED_PDU, unknown.abortReason);
        UpperLayer.ProtocolViolation again = assertThrows(UpperLayer.ProtocolViolation.class,
                () -> reader(pdu(1, new byte[100]), 1 << 20).next());
        assertEquals(UpperLayer.ABORT_REASON_UNEXPECTED_PDU, again.abortReason);
    }

    private void assertViolation(byte[] stream, String code) {
        UpperLayer.ProtocolViolation v = assertThrows(UpperLayer.ProtocolViolation.class, () -> reader(stream, 1 << 20).next());
        assertTrue(v.getMessage().startsWith(code), v.getMessage());
        assertFalse(v.oversizedPdu);
    }

    @Test
    void the_early_header_is_asked_for_until_it_is_found() throws Exception {
        byte[] command = new CStoreRequestCommandMessage(CT, "1.2.3.4").getBytes();
        AtomicInteger asked = new AtomicInteger();
        InstanceHeader found = new InstanceHeader("1.2", "1.2.3", "1.2.3.4", CT, "CT");
        byte[] stream = concat(pdu(4, pdv(1, true, true, command), pdv(1, false, false, bytes(100, 5))),
                pdu(4, pdv(1, false, false, bytes(100, 6))), pdu(4, pdv(1, false, false, bytes(100, 7))),
                pdu(4, pdv(1, false, true, bytes(100, 8))));
        DimseReader r = new DimseReader(new DataInputStream(new ByteArrayInputStream(stream)), answers, MAX_PDU, 1 << 20,
                id -> true, (id, first) -> asked.incrementAndGet() == 2 ? found : null, () -> { });
        DimseReader.Request store = r.next();
        assertSame(found, store.early());
        assertEquals(2, asked.get(), "not asked again once found, nor for the last fragment");
        assertEquals(List.of(100, 100, 100, 100), store.data().stream().map(b -> b.length).toList());
    }
}
