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

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.time.Instant;

/**
 * One connection: finish the TLS handshake (TLS port), screen the A-ASSOCIATE-RQ (allow-list, called AE,
 * association limit), let PixelMed negotiate the association, then answer each C-ECHO and C-STORE. A C-STORE is
 * answered Success only after {@link SpoolWriter#store} returned, i.e. the instance is on disk, synced, renamed and
 * indexed; any failure is answered with a failure status and the association goes on. One audit line is written
 * when the connection ends, whatever happened.
 */
final class AssociationSession implements Runnable {
    static final int SUCCESS = 0x0000;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int CANNOT_UNDERSTAND = 0xC000;
    private static final Logger log = LoggerFactory.getLogger(AssociationSession.class);

    /** What the sessions of one listener share. */
    record Shared(ListenerSettings settings, PresentationContextSelectionPolicy policy, SpoolWriter spool,
                  ListenerStats stats, AllowList allowList, StudyBudget budget, AuditLog audit) {}

    private final Socket socket;
    private final Shared shared;
    private final ListenerSettings settings;
    private final ListenerStats stats;
    private final boolean tls;
    private final Instant start = Instant.now();
    private String tag;
    private String callingAe = "";
    private String calledAe = "";
    private String tlsPeer;
    private boolean accepted;
    private String refusal;
    private int instances;
    private int failures;
    private long bytes;

    AssociationSession(Socket socket, Shared shared) {
        this.socket = socket;
        this.shared = shared;
        this.settings = shared.settings();
        this.stats = shared.stats();
        this.tls = socket instanceof SSLSocket;
        this.tag = "[" + socket.getRemoteSocketAddress() + "]";
    }

    @Override
    public void run() {
        boolean slot = false;
        try (socket) {
            if (tls && !handshake((SSLSocket) socket)) {
                return;
            }
            AssociateRequestScreen screen = screen();
            if (screen == null) {
                return;
            }
            slot = true;
            Association association = negotiate(screen);
            if (association == null) {
                return;
            }
            serve(association);
        } catch (Exception e) {
            log.warn("{} TSR-0210: association ended abnormally: {}", tag, e.toString());
        } finally {
            audit();
            if (slot) {
                stats.associationClosed();
            }
            stats.sessionEnded();
        }
    }

    private boolean handshake(SSLSocket ssl) {
        try {
            ssl.startHandshake();
            try {
                tlsPeer = ssl.getSession().getPeerPrincipal().getName();
            } catch (SSLPeerUnverifiedException noClientCertificate) {
                tlsPeer = null;
            }
            return true;
        } catch (IOException e) {
            stats.tlsHandshakeFailed();
            refusal = "tls-handshake-failed";
            log.warn("{} TSR-0282: TLS handshake failed: {}", tag, e.getMessage());
            return false;
        }
    }

    /** Reads and judges the A-ASSOCIATE-RQ head; null when refused (answered and counted), else holding a slot. */
    private AssociateRequestScreen screen() throws IOException {
        AssociateRequestScreen screen;
        try {
            screen = AssociateRequestScreen.read(socket.getInputStream());
        } catch (IOException e) {
            stats.refused();
            refusal = "not-an-association-request";
            log.warn("{} TSR-0214: not a DICOM association request: {}", tag, e.getMessage());
            return null;
        }
        callingAe = screen.callingAeTitle();
        calledAe = screen.calledAeTitle();
        tag = "[" + callingAe + "@" + socket.getInetAddress().getHostAddress() + "]";
        AssociateRequestScreen.Rejection why = screen.rejection(settings.aeTitle(), shared.allowList(), socket.getInetAddress());
        if (why == null && !stats.tryOpenAssociation(settings.maxAssociations())) {
            why = AssociateRequestScreen.Rejection.LOCAL_LIMIT_EXCEEDED;
        }
        if (why != null) {
            stats.refused(why);
            refusal = why.word;
            switch (why) {
                case LOCAL_LIMIT_EXCEEDED -> log.warn("{} TSR-0280: association rejected (transient): maxAssociations {} reached",
                        tag, settings.maxAssociations());
                case CALLING_AE_WRONG_HOST -> log.warn("{} TSR-0285: association rejected: calling AE title not allowed from this address", tag);
                case CALLING_AE_NOT_RECOGNISED -> log.warn("{} TSR-0215: association rejected: calling AE title not recognised", tag);
                case CALLED_AE_NOT_RECOGNISED -> log.warn("{} TSR-0215: association rejected: called AE title '{}' not ours", tag, calledAe);
            }
            AssociateRequestScreen.reject(socket.getOutputStream(), why);
            return null;
        }
        return screen;
    }

    private Association negotiate(AssociateRequestScreen screen) throws IOException {
        try {
            // 0 socket buffer sizes: keep the kernel's auto-tuning instead of PixelMed's fixed 64 KiB
            Association a = AssociationFactory.createNewAssociation(
                    new PrefixedSocket(socket, screen.replay(socket.getInputStream())),
                    settings.aeTitle(), settings.maxPduLength(), 0, 0, shared.policy());
            stats.accepted(tls);
            accepted = true;
            log.debug("{} association accepted{}", tag, tls ? " over TLS" : "");
            return a;
        } catch (Exception e) {
            stats.refused();
            refusal = "negotiation-failed";
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
        StudyBudget budget = shared.budget();
        String reserved = null;
        int status;
        try {
            String ts = association.getTransferSyntaxForPresentationContextID(request.presentationContextId());
            if (budget.enabled()) {
                String study = InstanceHeader.parse(request.data(), ts).studyUid();
                if (!budget.tryReserve(study, request.dataLength())) {
                    stats.studyLimitExceeded();
                    status = fail(OUT_OF_RESOURCES, "TSR-0281: instance refused: study " + study
                            + " would exceed maxStudyBytes " + budget.maxBytes(), null);
                    respond(association, request, sopClass, sopInstance, status);
                    return;
                }
                reserved = study;
            }
            shared.spool().store(sopClass, sopInstance, ts, association.getCallingAETitle(), request.data(), request.dataLength());
            reserved = null;
            stats.stored();
            instances++;
            bytes += request.dataLength();
            status = SUCCESS;
        } catch (InstanceHeader.UnreadableInstanceException e) {
            status = fail(CANNOT_UNDERSTAND, e.getMessage(), null);
        } catch (IOException e) {
            status = fail(OUT_OF_RESOURCES, "TSR-0204: instance could not be written durably", e);
        } catch (StudyIndex.IndexException e) {
            status = fail(PROCESSING_FAILURE, "TSR-0205: instance written but not indexed: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            status = fail(PROCESSING_FAILURE, "TSR-0206: unexpected failure storing instance", e);
        } finally {
            if (reserved != null) {
                budget.release(reserved, request.dataLength());
            }
        }
        respond(association, request, sopClass, sopInstance, status);
    }

    private static void respond(Association association, DimseRequestHandler request, String sopClass, String sopInstance,
                                int status) throws Exception {
        byte[] rsp = new CStoreResponseCommandMessage(sopClass, sopInstance, request.messageId(), status).getBytes();
        association.send(request.presentationContextId(), rsp, null);
    }

    private int fail(int status, String message, Throwable cause) {
        stats.storeFailed();
        failures++;
        if (cause == null) {
            log.warn("{} {} (status 0x{})", tag, message, Integer.toHexString(status));
        } else {
            log.warn("{} {} (status 0x{}): {}", tag, message, Integer.toHexString(status), cause.toString());
        }
        return status;
    }

    private void audit() {
        try {
            shared.audit().association(new AuditLog.Association(start, Instant.now(), callingAe, calledAe,
                    socket.getInetAddress().getHostAddress() + ":" + socket.getPort(), tls, tlsPeer, accepted,
                    accepted ? null : refusal == null ? "aborted" : refusal, instances, failures, bytes));
        } catch (RuntimeException e) {
            log.error("{} TSR-0283: audit line not written: {}", tag, e.toString());
        }
    }
}
