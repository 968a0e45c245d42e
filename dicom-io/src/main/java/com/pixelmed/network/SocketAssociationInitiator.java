package com.pixelmed.network;

import java.io.IOException;
import java.net.Socket;
import java.util.LinkedList;

/**
 * Tessera's addition, not PixelMed code: a requesting association over a socket the caller has already connected
 * (for DICOM TLS, an {@code SSLSocket} built from the destination's own key and trust stores, handshake done).
 * PixelMed's {@code AssociationInitiator} opens its own socket, and for TLS only from the JVM-wide default
 * {@code SSLContext}; it takes no socket. This class lives in PixelMed's package because the PDU classes it needs are
 * package-private, and it follows {@code AssociationInitiator} 20220618 step by step: send A-ASSOCIATE-RQ, then read
 * A-ASSOCIATE-AC (keep the accepted presentation contexts and the peer's maximum PDU length), -RJ or A-ABORT.
 */
public final class SocketAssociationInitiator extends Association {
    private static final String IMPLEMENTATION_CLASS_UID = "1.3.6.1.4.1.5962.99.2";
    private static final String IMPLEMENTATION_VERSION = "PIXELMEDJAVA001";
    private static final int PDU_ASSOCIATE_AC = 0x02;
    private static final int PDU_ASSOCIATE_RJ = 0x03;
    private static final int PDU_ABORT = 0x07;

    private SocketAssociationInitiator(Socket socket, String calledAe, String callingAe, LinkedList<?> contexts,
            int ourMaximumLengthReceived) throws DicomNetworkException, IOException {
        this.socket = socket;
        this.calledAETitle = calledAe;
        this.callingAETitle = callingAe;
        this.presentationContexts = contexts;
        this.scuSCPRoleSelections = null;
        setSocketOptions(socket, ourMaximumLengthReceived, AssociationFactory.getDefaultReceiveBufferSize(),
                AssociationFactory.getDefaultSendBufferSize());
        in = socket.getInputStream();
        out = socket.getOutputStream();
        AssociateRequestPDU request = new AssociateRequestPDU(calledAe, callingAe, IMPLEMENTATION_CLASS_UID,
                IMPLEMENTATION_VERSION, ourMaximumLengthReceived, contexts, null, 0, (String) null, (String) null);
        out.write(request.getBytes());
        out.flush();
        byte[] header = new byte[6];
        readInsistently(in, header, 0, 6, "type and length of PDU");
        int type = header[0] & 0xff;
        int length = com.pixelmed.utils.ByteArray.bigEndianToUnsignedInt(header, 2, 4);
        if (type == PDU_ASSOCIATE_AC) {
            AssociateAcceptPDU accept = new AssociateAcceptPDU(getRestOfPDU(in, header, length));
            presentationContexts = accept.getAcceptedPresentationContextsWithAbstractSyntaxIncludedFromRequest(contexts);
            if (maximumLengthReceived == 0 || accept.getMaximumLengthReceived() < maximumLengthReceived) {
                maximumLengthReceived = accept.getMaximumLengthReceived();
            }
        } else if (type == PDU_ASSOCIATE_RJ) {
            AssociateRejectPDU reject = new AssociateRejectPDU(getRestOfPDU(in, header, length));
            socket.close();
            throw new DicomNetworkException("Association rejected " + reject.getInfo());
        } else if (type == PDU_ABORT) {
            AAbortPDU abort = new AAbortPDU(getRestOfPDU(in, header, length));
            socket.close();
            throw new DicomNetworkException("A-ABORT indication " + abort.getInfo());
        } else {
            out.write(new AAbortPDU(2, 2).getBytes());
            out.flush();
            socket.close();
            throw new DicomNetworkException("A-P-ABORT indication - unexpected PDU type 0x" + Integer.toHexString(type));
        }
    }

    /**
     * Requests an association over {@code socket} (connected; for TLS, handshake done). On rejection or abort the
     * socket is closed and a {@link DicomNetworkException} names the reason.
     */
    public static Association open(Socket socket, String calledAe, String callingAe, LinkedList<?> contexts,
            int ourMaximumLengthReceived) throws DicomNetworkException, IOException {
        return new SocketAssociationInitiator(socket, calledAe, callingAe, contexts, ourMaximumLengthReceived);
    }

    @Override
    public String getCallingAEHostName() {
        return getLocalHostName();
    }

    @Override
    public String getCalledAEHostName() {
        return getRemoteHostName();
    }

    @Override
    public int getCallingAEPort() {
        return getLocalPort();
    }

    @Override
    public int getCalledAEPort() {
        return getRemotePort();
    }
}
