package com.pixelmed.network;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.IOException;
import java.net.Socket;
import java.util.LinkedList;

/**
 * Tessera's addition, not PixelMed code: C-ECHO over a socket the caller connected (with its own connect and read
 * timeouts). PixelMed's {@code VerificationSOPClassSCU} opens its own socket without a timeout, so a peer that accepts
 * the connection and never answers would hold the caller for ever — here, the outbox's circuit-breaker probe.
 * Same steps as PixelMed's: one presentation context (Verification, implicit VR LE), C-ECHO-RQ, wait for the response.
 */
public final class TimedVerificationSCU {
    private TimedVerificationSCU() {}

    /** Returns normally on status 0000; throws otherwise. Releases the association and closes the socket. */
    public static void echo(Socket socket, String calledAe, String callingAe)
            throws DicomNetworkException, DicomException, IOException {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 0x01, SOPClass.Verification, TransferSyntax.ImplicitVRLittleEndian));
        Association a = SocketAssociationInitiator.open(socket, calledAe, callingAe, contexts,
                AssociationFactory.getDefaultMaximumLengthReceived());
        try {
            Handler h = new Handler();
            a.setReceivedDataHandler(h);
            a.send(a.getSuitablePresentationContextID(SOPClass.Verification), new CEchoRequestCommandMessage().getBytes(), null);
            try {
                a.waitForCommandPDataPDUs();
            } catch (AReleaseException e) {
                throw new DicomNetworkException("peer released the association instead of answering C-ECHO");
            }
            if (!h.wasSuccessful()) {
                throw new DicomNetworkException("C-ECHO answered status 0x" + Integer.toHexString(h.status));
            }
        } finally {
            try {
                a.release();
            } catch (DicomNetworkException | RuntimeException e) {
                socket.close();
            }
        }
    }

    private static final class Handler extends CompositeResponseHandler {
        int status = -1;

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            success = status == 0x0000;
        }
    }
}
