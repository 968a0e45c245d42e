package io.tessera.listener;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fixed head of an A-ASSOCIATE-RQ before PixelMed sees it, so that a calling AE title not in the
 * allow-list (or a wrong called AE title, or one association too many) is answered with A-ASSOCIATE-RJ instead of
 * being accepted first. PixelMed's acceptor has no hook for this; it then reads the same bytes from
 * {@link #replay(InputStream)}.
 */
final class AssociateRequestScreen {
    /** PDU header (6) + protocol version (2) + reserved (2) + called AE (16) + calling AE (16). */
    static final int HEAD_LENGTH = 42;

    /** An A-ASSOCIATE-RJ answer (PS3.8 Table 9-21): result, source and reason, with the word logged and audited. */
    enum Rejection {
        CALLING_AE_NOT_RECOGNISED(1, 1, 3, "calling-ae-not-recognised"),
        CALLING_AE_WRONG_HOST(1, 1, 3, "calling-ae-not-allowed-from-host"),
        CALLED_AE_NOT_RECOGNISED(1, 1, 7, "called-ae-not-recognised"),
        /** Transient, service-provider (presentation related), local limit exceeded. */
        LOCAL_LIMIT_EXCEEDED(2, 3, 2, "local-limit-exceeded");

        final int result;
        final int source;
        final int reason;
        final String word;

        Rejection(int result, int source, int reason, String word) {
            this.result = result;
            this.source = source;
            this.reason = reason;
            this.word = word;
        }
    }

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

    /** null when acceptable, else why not (the association limit is checked by the caller). */
    Rejection rejection(String ourAeTitle, AllowList allowList, java.net.InetAddress from) {
        switch (allowList.check(callingAeTitle(), from)) {
            case UNKNOWN_AE:
                return Rejection.CALLING_AE_NOT_RECOGNISED;
            case WRONG_HOST:
                return Rejection.CALLING_AE_WRONG_HOST;
            default:
                break;
        }
        return ourAeTitle.equals(calledAeTitle()) ? null : Rejection.CALLED_AE_NOT_RECOGNISED;
    }

    /** The bytes already read followed by the rest of the stream. */
    InputStream replay(InputStream rest) {
        return new SequenceInputStream(new ByteArrayInputStream(head), rest);
    }

    /** Sends A-ASSOCIATE-RJ with the rejection's result, source and reason. */
    static void reject(OutputStream out, Rejection r) throws IOException {
        out.write(new byte[] {0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                (byte) r.result, (byte) r.source, (byte) r.reason});
        out.flush();
    }
}
