package io.tessera.listener;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** PDU types and the small PDUs of the DICOM upper layer (PS3.8 §9.3) that the SCP sends. */
final class UpperLayer {
    static final int A_ASSOCIATE_RQ = 0x01;
    static final int A_ASSOCIATE_AC = 0x02;
    static final int A_ASSOCIATE_RJ = 0x03;
    static final int P_DATA_TF = 0x04;
    static final int A_RELEASE_RQ = 0x05;
    static final int A_RELEASE_RP = 0x06;
    static final int A_ABORT = 0x07;
    /** A-ABORT source: DICOM UL service-provider (initiated abort). */
    static final int ABORT_SOURCE_PROVIDER = 2;
    static final int ABORT_REASON_UNRECOGNISED_PDU = 1;
    static final int ABORT_REASON_UNEXPECTED_PDU = 2;
    static final int ABORT_REASON_INVALID_PDU_PARAMETER = 6;
    /** A-ASSOCIATE-RQ/AC/RJ, release and abort PDUs are small; a generous bound for many presentation contexts. */
    static final long MAX_OTHER_PDU = 1 << 20;

    private UpperLayer() {
    }

    /** One PDU: type, reserved, 4-byte big-endian length, body. */
    static byte[] pdu(int type, byte[] body) {
        return ByteBuffer.allocate(6 + body.length).put((byte) type).put((byte) 0).putInt(body.length).put(body).array();
    }

    /** A P-DATA-TF holding one whole command set as a single, last, command PDV. */
    static byte[] commandPData(byte presentationContextId, byte[] command) {
        return ByteBuffer.allocate(12 + command.length).put((byte) P_DATA_TF).put((byte) 0).putInt(6 + command.length)
                .putInt(2 + command.length).put(presentationContextId).put((byte) 0x03).put(command).array();
    }

    static void releaseResponse(OutputStream out) throws IOException {
        out.write(pdu(A_RELEASE_RP, new byte[4]));
        out.flush();
    }

    /** Sends A-ABORT from the service provider; a peer already gone is not an error here. */
    static void abort(OutputStream out, int reason) {
        try {
            out.write(new byte[] {A_ABORT, 0, 0, 0, 0, 4, 0, 0, (byte) ABORT_SOURCE_PROVIDER, (byte) reason});
            out.flush();
        } catch (IOException peerGone) {
            // the connection is being dropped anyway
        }
    }

    /** Something the peer sent breaks the protocol; the session answers with A-ABORT (reason given) and ends. */
    static final class ProtocolViolation extends IOException {
        final int abortReason;
        final boolean oversizedPdu;

        ProtocolViolation(String message, int abortReason, boolean oversizedPdu) {
            super(message);
            this.abortReason = abortReason;
            this.oversizedPdu = oversizedPdu;
        }
    }

    /** The peer released the association; A-RELEASE-RP was sent. */
    static final class Released extends IOException {
        Released() {
            super("released");
        }
    }

    /** The peer sent A-ABORT. */
    static final class PeerAborted extends IOException {
        PeerAborted(int source, int reason) {
            super("A-ABORT from the peer (source " + source + ", reason " + reason + ")");
        }
    }
}
