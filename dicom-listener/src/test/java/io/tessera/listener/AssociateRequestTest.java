package io.tessera.listener;

import com.pixelmed.network.AnyExplicitStorePresentationContextSelectionPolicy;
import com.pixelmed.network.PresentationContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class AssociateRequestTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

    /** An A-ASSOCIATE-RQ body with the items a real SCU may send, including ones the SCP ignores. */
    static byte[] request(String applicationContext, boolean extras) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x00, 0x01, 0x00, 0x00});
        body.writeBytes(String.format("%-16s", "TESSERA").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(String.format("%-16s", "MODALITY").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(new byte[32]);
        item(body, 0x10, applicationContext.getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(context(1, CT, EXPLICIT_LE, IMPLICIT_LE));
        body.writeBytes(context(3, "1.2.840.10008.5.1.4.31", IMPLICIT_LE)); // worklist: not storage
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, ByteBuffer.allocate(4).putInt(16384).array());
        item(user, 0x52, "1.2.3.4".getBytes(StandardCharsets.US_ASCII));
        if (extras) {
            item(user, 0x53, new byte[] {0, 5, 0, 5}); // asynchronous operations window
            ByteArrayOutputStream role = new ByteArrayOutputStream();
            role.writeBytes(new byte[] {0, (byte) CT.length()});
            role.writeBytes(CT.getBytes(StandardCharsets.US_ASCII));
            role.writeBytes(new byte[] {1, 1});
            item(user, 0x54, role.toByteArray());
            item(user, 0x58, new byte[] {1, 1, 0, 4, 'u', 's', 'e', 'r', 0, 0}); // user identity
            item(body, 0x77, new byte[] {1, 2, 3}); // unknown item type: ignored
        }
        item(body, 0x50, user.toByteArray());
        return body.toByteArray();
    }

    private static byte[] context(int id, String abstractSyntax, String... transferSyntaxes) {
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        pc.writeBytes(new byte[] {(byte) id, 0, 0, 0});
        item(pc, 0x30, abstractSyntax.getBytes(StandardCharsets.US_ASCII));
        for (String ts : transferSyntaxes) {
            item(pc, 0x40, ts.getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        item(out, 0x20, pc.toByteArray());
        return out.toByteArray();
    }

    static void item(ByteArrayOutputStream to, int type, byte[] value) {
        to.write(type);
        to.write(0);
        to.write(value.length >> 8);
        to.write(value.length & 0xff);
        to.writeBytes(value);
    }

    @Test
    void parses_contexts_and_user_information_ignoring_what_it_does_not_negotiate() throws Exception {
        AssociateRequest rq = AssociateRequest.parse(request(AssociateRequest.APPLICATION_CONTEXT, true));
        assertTrue(rq.standardApplicationContext());
        assertEquals(16384, rq.peerMaxPdu());
        LinkedList<PresentationContext> proposed = rq.proposedForPolicy();
        assertEquals(2, proposed.size());
        assertEquals(CT, proposed.get(0).getAbstractSyntaxUID());
        assertEquals(List.of(EXPLICIT_LE, IMPLICIT_LE), proposed.get(0).getTransferSyntaxUIDs());
    }

    @Test
    void answers_with_one_result_per_context_and_our_maximum_pdu() throws Exception {
        AssociateRequest rq = AssociateRequest.parse(request(AssociateRequest.APPLICATION_CONTEXT, true));
        List<PresentationContext> decided = new ArrayList<>();
        for (Object o : new AnyExplicitStorePresentationContextSelectionPolicy()
                .applyPresentationContextSelectionPolicy(rq.proposedForPolicy(), 0)) {
            decided.add((PresentationContext) o);
        }
        ByteBuffer ac = ByteBuffer.wrap(rq.acceptance(decided, 131072));
        assertEquals(UpperLayer.A_ASSOCIATE_AC, ac.get(0));
        assertEquals(ac.capacity() - 6, ac.getInt(2));
        assertEquals("TESSERA", new String(ac.array(), 10, 16, StandardCharsets.US_ASCII).trim());
        assertEquals("MODALITY", new String(ac.array(), 26, 16, StandardCharsets.US_ASCII).trim());
        List<int[]> results = new ArrayList<>();
        String acceptedTs = null;
        long maxPdu = -1;
        ac.position(74);
        while (ac.hasRemaining()) {
            int type = ac.get() & 0xff;
            ac.get();
            int len = ac.getShort() & 0xffff;
            int start = ac.position();
            if (type == 0x21) {
                results.add(new int[] {ac.get(start), ac.get(start + 2)});
                if (ac.get(start + 2) == 0) {
                    acceptedTs = new String(ac.array(), start + 8, ac.getShort(start + 6), StandardCharsets.US_ASCII);
                }
            } else if (type == 0x50) {
                maxPdu = ac.getInt(start + 4);
            }
            ac.position(start + len);
        }
        assertEquals(2, results.size());
        assertArrayEquals(new int[] {1, 0}, results.get(0), "CT accepted");
        assertNotEquals(0, results.get(1)[1], "worklist refused");
        assertEquals(EXPLICIT_LE, acceptedTs);
        assertEquals(131072, maxPdu);
    }

    @Test
    void refuses_requests_whose_lengths_do_not_add_up() {
        byte[] good = request(AssociateRequest.APPLICATION_CONTEXT, false);
        assertThrows(IOException.class, () -> AssociateRequest.parse(new byte[40]));
        byte[] overrun = good.clone();
        overrun[68 + 2] = 0x7F; // application context item claims ~32 KiB
        IOException e = assertThrows(IOException.class, () -> AssociateRequest.parse(overrun));
        assertTrue(e.getMessage().startsWith("TSR-0216"), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(IOException.class, () -> AssociateRequest.parse(cut));
    }

    @Test
    void notices_a_foreign_application_context() throws Exception {
        assertFalse(AssociateRequest.parse(request("1.2.3.4.5", false)).standardApplicationContext());
    }
}
