package io.tessera.listener;

import com.pixelmed.network.PresentationContext;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

/**
 * An A-ASSOCIATE-RQ (PS3.8 §9.3.2) and the A-ASSOCIATE-AC built from it (§9.3.3). Items we do not act on
 * (asynchronous operations window, SCP/SCU role selection, extended negotiation, user identity) are skipped: leaving
 * them out of the AC means the defaults, i.e. one outstanding operation and the default roles, which is what this
 * SCP does. Parsing is bounded by the PDU's bytes and every length is checked against what is left.
 */
final class AssociateRequest {
    static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";
    /** Tessera's implementation class UID (a 2.25 UUID-derived UID, fixed forever). */
    static final String IMPLEMENTATION_CLASS_UID = "2.25.305317601445157234652885955178183137370";
    static final String IMPLEMENTATION_VERSION = "TESSERA_0_1";
    /** A-ASSOCIATE-RJ reason "application-context-name not supported" (result 1, source 1). */
    static final int REASON_APPLICATION_CONTEXT = 2;

    /** A proposed presentation context. */
    record Proposed(byte id, String abstractSyntax, List<String> transferSyntaxes) {}

    private final byte[] calledAe;
    private final byte[] callingAe;
    private final String applicationContext;
    private final List<Proposed> proposed;
    private final long peerMaxPdu;

    private AssociateRequest(byte[] calledAe, byte[] callingAe, String applicationContext, List<Proposed> proposed,
                             long peerMaxPdu) {
        this.calledAe = calledAe;
        this.callingAe = callingAe;
        this.applicationContext = applicationContext;
        this.proposed = proposed;
        this.peerMaxPdu = peerMaxPdu;
    }

    /** @param body the PDU's variable part after the 6-byte header (protocol version onwards) */
    static AssociateRequest parse(byte[] body) throws IOException {
        if (body.length < 68) {
            throw new IOException("TSR-0216: A-ASSOCIATE-RQ shorter than its fixed fields");
        }
        byte[] called = java.util.Arrays.copyOfRange(body, 4, 20);
        byte[] calling = java.util.Arrays.copyOfRange(body, 20, 36);
        ByteBuffer b = ByteBuffer.wrap(body);
        b.position(68);
        String context = null;
        List<Proposed> contexts = new ArrayList<>();
        long maxPdu = 0;
        while (b.hasRemaining()) {
            ByteBuffer item = item(b);
            switch (item.get(0) & 0xff) {
                case 0x10 -> context = text(item);
                case 0x20 -> contexts.add(presentationContext(item));
                case 0x50 -> maxPdu = userInformation(item);
                default -> { } // unknown items are ignored (PS3.8 §9.3.1)
            }
        }
        if (context == null) {
            throw new IOException("TSR-0216: A-ASSOCIATE-RQ without an application context item");
        }
        return new AssociateRequest(called, calling, context, contexts, maxPdu);
    }

    /** The next item (type, reserved, 2-byte length, value) as its own buffer positioned at its value. */
    private static ByteBuffer item(ByteBuffer b) throws IOException {
        if (b.remaining() < 4) {
            throw new IOException("TSR-0216: A-ASSOCIATE-RQ ends inside an item header");
        }
        int start = b.position();
        int length = b.getShort(start + 2) & 0xffff;
        if (length > b.remaining() - 4) {
            throw new IOException(String.format("TSR-0216: item 0x%02x of %d bytes overruns the A-ASSOCIATE-RQ",
                    b.get(start) & 0xff, length));
        }
        ByteBuffer item = b.slice(start, 4 + length);
        b.position(start + 4 + length);
        item.position(4);
        return item;
    }

    private static String text(ByteBuffer item) {
        byte[] v = new byte[item.remaining()];
        item.get(v);
        int end = v.length;
        while (end > 0 && (v[end - 1] == 0 || v[end - 1] == ' ')) {
            end--;
        }
        return new String(v, 0, end, StandardCharsets.US_ASCII).trim();
    }

    private static Proposed presentationContext(ByteBuffer item) throws IOException {
        if (item.remaining() < 4) {
            throw new IOException("TSR-0216: presentation context item too short");
        }
        byte id = item.get();
        item.position(item.position() + 3);
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.hasRemaining()) {
            ByteBuffer sub = item(item);
            switch (sub.get(0) & 0xff) {
                case 0x30 -> abstractSyntax = text(sub);
                case 0x40 -> transferSyntaxes.add(text(sub));
                default -> { }
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw new IOException("TSR-0216: presentation context " + (id & 0xff) + " lacks its abstract or transfer syntax");
        }
        return new Proposed(id, abstractSyntax, transferSyntaxes);
    }

    /** @return the requestor's maximum PDU length (0: unlimited or not sent) */
    private static long userInformation(ByteBuffer item) throws IOException {
        long maxPdu = 0;
        while (item.hasRemaining()) {
            ByteBuffer sub = item(item);
            if ((sub.get(0) & 0xff) == 0x51 && sub.remaining() == 4) {
                maxPdu = sub.getInt() & 0xffffffffL;
            }
        }
        return maxPdu;
    }

    boolean standardApplicationContext() {
        return APPLICATION_CONTEXT.equals(applicationContext);
    }

    long peerMaxPdu() {
        return peerMaxPdu;
    }

    /** The proposed contexts as PixelMed's type, so its selection policies decide acceptance as before. */
    LinkedList<PresentationContext> proposedForPolicy() {
        LinkedList<PresentationContext> list = new LinkedList<>();
        for (Proposed p : proposed) {
            list.add(new PresentationContext(p.id(), p.abstractSyntax(), new LinkedList<>(p.transferSyntaxes())));
        }
        return list;
    }

    /** A-ASSOCIATE-AC answering each decided context, announcing our maximum PDU length. */
    byte[] acceptance(List<PresentationContext> decided, int ourMaxPdu) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        body.writeBytes(new byte[] {0x00, 0x01, 0x00, 0x00});
        body.writeBytes(calledAe);
        body.writeBytes(callingAe);
        body.writeBytes(new byte[32]);
        item(body, 0x10, ascii(APPLICATION_CONTEXT));
        for (PresentationContext pc : decided) {
            ByteArrayOutputStream v = new ByteArrayOutputStream(64);
            v.write(pc.getIdentifier());
            v.write(0);
            v.write(pc.getResultReason());
            v.write(0);
            String ts = pc.getTransferSyntaxUID();
            item(v, 0x40, ascii(ts == null ? "" : ts));
            item(body, 0x21, v.toByteArray());
        }
        ByteArrayOutputStream user = new ByteArrayOutputStream(64);
        item(user, 0x51, ByteBuffer.allocate(4).putInt(ourMaxPdu).array());
        item(user, 0x52, ascii(IMPLEMENTATION_CLASS_UID));
        item(user, 0x55, ascii(IMPLEMENTATION_VERSION));
        item(body, 0x50, user.toByteArray());
        return UpperLayer.pdu(UpperLayer.A_ASSOCIATE_AC, body.toByteArray());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void item(ByteArrayOutputStream to, int type, byte[] value) {
        to.write(type);
        to.write(0);
        to.write(value.length >> 8);
        to.write(value.length & 0xff);
        to.writeBytes(value);
    }
}
