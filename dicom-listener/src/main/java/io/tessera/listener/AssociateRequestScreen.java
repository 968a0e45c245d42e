package io.tessera.listener;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fixed head of an A-ASSOCIATE-RQ before PixelMed sees it, so that a calling AE title not in the
 * allow-list (or a wrong called AE title) is answered with A-ASSOCIATE-RJ instead of being accepted first.
 * PixelMed's acceptor has no hook for this; it then reads the same bytes from {@link #replay(InputStream)}.
 */
final class AssociateRequestScreen {
    /** PDU header (6) + protocol version (2) + reserved (2) + called AE (16) + calling AE (16). */
    static final int HEAD_LENGTH = 42;
    static final int REASON_CALLING_AE_NOT_RECOGNISED = 3;
    static final int REASON_CALLED_AE_NOT_RECOGNISED = 7;
    private static final int REASON_NO_REASON = 1;

    private final byte[] head;

    private AssociateRequestScreen(byte[] head) {
        this.head = head;
    }

    /** Reads the head of the first PDU; throws if the stream ends first or the PDU is not an A-ASSOCIATE-RQ. */
    static AssociateRequestScreen read(InputStream in) throws IOException {
        byte[] head = in.readNBytes(HEAD_LENGTH);
        if (head.length < HEAD_LENGTH) {
            throw new IOException("TSR-0211: connection closed before a complete A-ASSOCIATE-RQ (" + head.length + " bytes)");
        }
        if (head[0] != 0x01) {
            throw new IOException(String.format("TSR-0212: first PDU is type 0x%02x, not A-ASSOCIATE-RQ", head[0] & 0xff));
        }
        return new AssociateRequestScreen(head);
    }

    String calledAeTitle() {
        return new String(head, 10, 16, StandardCharsets.US_ASCII).trim();
    }

    String callingAeTitle() {
        return new String(head, 26, 16, StandardCharsets.US_ASCII).trim();
    }

    /** 0 when acceptable, else the A-ASSOCIATE-RJ reason (source: service user). */
    int rejectionReason(ListenerSettings settings) {
        if (!settings.allowsCallingAe(callingAeTitle())) {
            return REASON_CALLING_AE_NOT_RECOGNISED;
        }
        if (!settings.aeTitle().equals(calledAeTitle())) {
            return REASON_CALLED_AE_NOT_RECOGNISED;
        }
        return 0;
    }

    /** The bytes already read followed by the rest of the stream. */
    InputStream replay(InputStream rest) {
        return new SequenceInputStream(new ByteArrayInputStream(head), rest);
    }

    /** Sends A-ASSOCIATE-RJ: rejected-permanent, source service-user, the given reason. */
    static void reject(OutputStream out, int reason) throws IOException {
        out.write(new byte[] {0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x01, 0x01,
                (byte) (reason == 0 ? REASON_NO_REASON : reason)});
        out.flush();
    }
}
