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
                  ListenerStats stats, AllowList allowList, StudyBudget budget, AuditLog audit,
                  java.util.function.BiConsumer<String, java.util.Set<String>> onRelease) {}

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
    /** Studies this association stored instances of; reported to {@code onRelease} after an orderly release. */
    private final java.util.Set<String> studies = new java.util.LinkedHashSet<>();
    private int failures;
    private long bytes;
    private PduLengthGuard guard;
    /** Presentation context IDs accepted at negotiation; a request on any other is a protocol error. */
    private final java.util.Set<Byte> acceptedContexts = java.util.concurrent.ConcurrentHashMap.newKeySet();

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
            if (accepted) {
                stats.aborted();
            }
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
            stats.notDicom();
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
            guard = new PduLengthGuard(screen.replay(socket.getInputStream()), settings.maxPduLength(), socket.getOutputStream());
            Association a = AssociationFactory.createNewAssociation(new PrefixedSocket(socket, guard),
                    settings.aeTitle(), settings.maxPduLength(), 0, 0, new CountingPolicy());
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
                DimseRequestHandler request = new DimseRequestHandler(settings.maxInstanceBytes());
                association.setReceivedDataHandler(request);
                try {
                    association.waitForPDataPDUsUntilHandlerReportsDone();
                } catch (com.pixelmed.network.DicomNetworkException | RuntimeException e) {
                    ended(e);
                    return;
                }
                if (request.malformed() != null) {
                    abort(association, request.malformed());
                    return;
                }
                if (!acceptedContexts.contains(request.presentationContextId())) {
                    abort(association, "TSR-0219: request on presentation context " + request.presentationContextId()
                            + ", which was not accepted");
                    return;
                }
                switch (request.commandField()) {
                    case DimseRequestHandler.C_ECHO_RQ -> answerEcho(association, request);
                    case DimseRequestHandler.C_STORE_RQ -> answerStore(association, request);
                    default -> {
                        abort(association, "TSR-0217: unsupported DIMSE command 0x" + Integer.toHexString(request.commandField()));
                        return;
                    }
                }
            }
        } catch (AReleaseException released) {
            log.debug("{} association released", tag);
            if (!studies.isEmpty() && shared.onRelease() != null) {
                try {
                    shared.onRelease().accept(callingAe, java.util.Set.copyOf(studies));
                } catch (RuntimeException e) {
                    log.warn("{} TSR-0287: release notification failed (completion falls back to the quiet period): {}", tag, e.toString());
                }
            }
        }
    }

    /** The association broke while we waited for a request: the guard's A-ABORT, the peer's, or the peer vanished. */
    private void ended(Exception e) {
        stats.aborted();
        String violation = guard == null ? null : guard.violation();
        if (violation != null) {
            stats.oversizedPdu();
            log.warn("{} {}; A-ABORT sent", tag, violation);
        } else {
            log.warn("{} TSR-0210: association ended without release (peer vanished or aborted): {}", tag, e.getMessage());
        }
    }

    private void abort(Association association, String why) {
        stats.aborted();
        log.warn("{} {}; aborting", tag, why);
        try {
            association.abort();
        } catch (com.pixelmed.network.DicomNetworkException | RuntimeException e) {
            log.debug("{} A-ABORT not delivered: {}", tag, e.toString());
        }
    }

    /** PixelMed's storage policy, counting and logging what it refuses and remembering what it accepts. */
    private final class CountingPolicy implements PresentationContextSelectionPolicy {
        @Override
        public java.util.LinkedList applyPresentationContextSelectionPolicy(java.util.LinkedList contexts, int association) {
            return note(shared.policy().applyPresentationContextSelectionPolicy(contexts, association));
        }

        @Override
        public java.util.LinkedList applyPresentationContextSelectionPolicy(java.util.LinkedList contexts, int association,
                                                                            int debugLevel) {
            return note(shared.policy().applyPresentationContextSelectionPolicy(contexts, association, debugLevel));
        }

        private java.util.LinkedList note(java.util.LinkedList contexts) {
            int rejected = 0;
            java.util.Set<String> refused = new java.util.TreeSet<>();
            for (Object o : contexts) {
                com.pixelmed.network.PresentationContext pc = (com.pixelmed.network.PresentationContext) o;
                if (pc.getResultReason() == 0) {
                    acceptedContexts.add(pc.getIdentifier());
                } else {
                    rejected++;
                    refused.add(pc.getAbstractSyntaxUID());
                }
            }
            if (rejected > 0) {
                stats.presentationContextsRejected(rejected);
                log.info("{} TSR-0288: {} presentation context(s) refused (SOP class or transfer syntax not accepted): {}",
                        tag, rejected, refused);
            }
            return contexts;
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
        if (request.oversized()) {
            stats.instanceTooLarge();
            status = fail(OUT_OF_RESOURCES, "TSR-0289: instance refused: data set of " + request.dataLength()
                    + " bytes exceeds dicom.limits.maxInstanceBytes " + settings.maxInstanceBytes(), null);
            respond(association, request, sopClass, sopInstance, status);
            return;
        }
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
            InstanceRecord stored = shared.spool().store(sopClass, sopInstance, ts, association.getCallingAETitle(), request.data(),
                    request.dataLength());
            studies.add(stored.studyUid());
            reserved = null;
            stats.stored();
            instances++;
            bytes += request.dataLength();
            status = SUCCESS;
        } catch (InstanceHeader.UnreadableInstanceException e) {
            if (e.problem() == InstanceHeader.Problem.INVALID_UID) {
                stats.invalidUid();
            } else {
                stats.malformedInstance();
            }
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
