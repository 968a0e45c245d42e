package io.tessera.listener;

import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import com.pixelmed.dicom.TagFromName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;

/**
 * One connection: screen the A-ASSOCIATE-RQ, let PixelMed negotiate the association, then answer each C-ECHO and
 * C-STORE. A C-STORE is answered Success only after {@link SpoolWriter#store} returned, i.e. the instance is on disk,
 * synced, renamed and indexed; any failure is answered with a failure status and the association goes on.
 */
final class AssociationSession implements Runnable {
    static final int SUCCESS = 0x0000;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int CANNOT_UNDERSTAND = 0xC000;
    private static final Logger log = LoggerFactory.getLogger(AssociationSession.class);

    private final Socket socket;
    private final ListenerSettings settings;
    private final PresentationContextSelectionPolicy policy;
    private final SpoolWriter spool;
    private final ListenerStats stats;
    private String tag;

    AssociationSession(Socket socket, ListenerSettings settings, PresentationContextSelectionPolicy policy,
                       SpoolWriter spool, ListenerStats stats) {
        this.socket = socket;
        this.settings = settings;
        this.policy = policy;
        this.spool = spool;
        this.stats = stats;
        this.tag = "[" + socket.getRemoteSocketAddress() + "]";
    }

    @Override
    public void run() {
        try (socket) {
            Association association = negotiate();
            if (association == null) {
                return;
            }
            serve(association);
        } catch (Exception e) {
            log.warn("{} TSR-0210: association ended abnormally: {}", tag, e.toString());
        } finally {
            stats.sessionEnded();
        }
    }

    private Association negotiate() throws IOException {
        AssociateRequestScreen screen;
        try {
            screen = AssociateRequestScreen.read(socket.getInputStream());
        } catch (IOException e) {
            stats.refused();
            log.warn("{} TSR-0214: not a DICOM association request: {}", tag, e.getMessage());
            return null;
        }
        tag = "[" + screen.callingAeTitle() + "@" + socket.getInetAddress().getHostAddress() + "]";
        int reason = screen.rejectionReason(settings);
        if (reason != 0) {
            stats.refused();
            log.warn("{} TSR-0215: association rejected: {}", tag,
                    reason == AssociateRequestScreen.REASON_CALLING_AE_NOT_RECOGNISED
                            ? "calling AE title not recognised" : "called AE title '" + screen.calledAeTitle() + "' not ours");
            AssociateRequestScreen.reject(socket.getOutputStream(), reason);
            return null;
        }
        try {
            // 0 socket buffer sizes: keep the kernel's auto-tuning instead of PixelMed's fixed 64 KiB
            Association a = AssociationFactory.createNewAssociation(
                    new PrefixedSocket(socket, screen.replay(socket.getInputStream())),
                    settings.aeTitle(), settings.maxPduLength(), 0, 0, policy);
            stats.accepted();
            log.debug("{} association accepted", tag);
            return a;
        } catch (Exception e) {
            stats.refused();
            log.warn("{} TSR-0216: association negotiation failed: {}", tag, e.getMessage());
            return null;
        }
    }

    private void serve(Association association) throws Exception {
        try {
            while (true) {
                DimseRequestHandler request = new DimseRequestHandler();
                association.setReceivedDataHandler(request);
                association.waitForPDataPDUsUntilHandlerReportsDone();
                if (request.malformed() != null) {
                    log.warn("{} {}; aborting", tag, request.malformed());
                    association.abort();
                    return;
                }
                switch (request.commandField()) {
                    case DimseRequestHandler.C_ECHO_RQ -> answerEcho(association, request);
                    case DimseRequestHandler.C_STORE_RQ -> answerStore(association, request);
                    default -> {
                        log.warn("{} TSR-0217: unsupported DIMSE command 0x{}; aborting", tag,
                                Integer.toHexString(request.commandField()));
                        association.abort();
                        return;
                    }
                }
            }
        } catch (AReleaseException released) {
            log.debug("{} association released", tag);
        }
    }

    private void answerEcho(Association association, DimseRequestHandler request) throws Exception {
        stats.echo();
        byte[] rsp = new CEchoResponseCommandMessage(request.commandString(TagFromName.AffectedSOPClassUID),
                request.messageId(), SUCCESS).getBytes();
        association.send(request.presentationContextId(), rsp, null);
    }

    private void answerStore(Association association, DimseRequestHandler request) throws Exception {
        String sopClass = request.commandString(TagFromName.AffectedSOPClassUID);
        String sopInstance = request.commandString(TagFromName.AffectedSOPInstanceUID);
        int status;
        try {
            String ts = association.getTransferSyntaxForPresentationContextID(request.presentationContextId());
            spool.store(sopClass, sopInstance, ts, association.getCallingAETitle(), request.data(), request.dataLength());
            stats.stored();
            status = SUCCESS;
        } catch (InstanceHeader.UnreadableInstanceException e) {
            status = fail(CANNOT_UNDERSTAND, e.getMessage(), null);
        } catch (IOException e) {
            status = fail(OUT_OF_RESOURCES, "TSR-0204: instance could not be written durably", e);
        } catch (StudyIndex.IndexException e) {
            status = fail(PROCESSING_FAILURE, "TSR-0205: instance written but not indexed: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            status = fail(PROCESSING_FAILURE, "TSR-0206: unexpected failure storing instance", e);
        }
        byte[] rsp = new CStoreResponseCommandMessage(sopClass, sopInstance, request.messageId(), status).getBytes();
        association.send(request.presentationContextId(), rsp, null);
    }

    private int fail(int status, String message, Throwable cause) {
        stats.storeFailed();
        if (cause == null) {
            log.warn("{} {} (status 0x{})", tag, message, Integer.toHexString(status));
        } else {
            log.warn("{} {} (status 0x{}): {}", tag, message, Integer.toHexString(status), cause.toString());
        }
        return status;
    }
}
