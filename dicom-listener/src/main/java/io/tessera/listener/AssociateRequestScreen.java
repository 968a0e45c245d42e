package io.tessera.listener;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the fixed head of an A-ASSOCIATE-RQ before anything else, so that a calling AE title not in the
 * allow-list (or a wrong called AE title, or one association too many) is answered with A-ASSOCIATE-RJ instead of
 * being accepted first, without reading (or allocating) the rest of a request that is refused anyway.
 */
final class AssociateRequestScreen {
    /** PDU header (6) + protocol version (2) + reserved (2) + called AE (16) + calling AE (16). */
    static final int HEAD_LENGTH = 42;

    /** An A-ASSOCIATE-RJ answer (PS3.8 Table 9-21): result, source and reason, with the word logged and audited. */
    enum Rejection {
        CALLING_AE_NOT_RECOGNISED(1, 1, 3, "calling-ae-not-recognised"),
        CALLING_AE_WRONG_HOST(1, 1, 3, "calling-ae-not-allowed-from-host"),
        CALLED_AE_NOT_RECOGNISED(1, 1, 7, "called-ae-not-recognised"),
        /** Permanent, service-user, application context name not supported. */
        APPLICATION_CONTEXT_NOT_SUPPORTED(1, 1, 2, "application-context-not-supported"),
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

    /**
     * Reads the rest of the A-ASSOCIATE-RQ and returns its whole variable part (after the 6-byte PDU header).
     * A length beyond {@link UpperLayer#MAX_OTHER_PDU} is refused before anything is allocated.
     */
    byte[] readBody(InputStream rest) throws IOException {
        long length = ((head[2] & 0xffL) << 24) | ((head[3] & 0xffL) << 16) | ((head[4] & 0xffL) << 8) | (head[5] & 0xffL);
        if (length < 68 || length > UpperLayer.MAX_OTHER_PDU) {
            throw new IOException("TSR-0216: A-ASSOCIATE-RQ length " + length + " out of range");
        }
        byte[] body = new byte[(int) length];
        System.arraycopy(head, 6, body, 0, HEAD_LENGTH - 6);
        int n = rest.readNBytes(body, HEAD_LENGTH - 6, body.length - (HEAD_LENGTH - 6));
        if (n < body.length - (HEAD_LENGTH - 6)) {
            throw new IOException("TSR-0211: connection closed inside the A-ASSOCIATE-RQ");
        }
        return body;
    }

    /** Sends A-ASSOCIATE-RJ with the rejection's result, source and reason. */
    static void reject(OutputStream out, Rejection r) throws IOException {
        out.write(new byte[] {0x03, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
                (byte) r.result, (byte) r.source, (byte) r.reason});
        out.flush();
    }
}
