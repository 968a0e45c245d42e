package io.tessera.listener;

import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection: finish the TLS handshake (TLS port), screen the A-ASSOCIATE-RQ (allow-list, called AE,
 * association limit), negotiate presentation contexts with the configured policy, then answer each C-ECHO and
 * C-STORE read by the {@link DimseReader} (one outstanding operation, as negotiated). A C-STORE is
 * answered Success only after {@link SpoolWriter#store} returned, i.e. the instance's record (its Part 10 bytes and
 * spool path) is forced in the {@link WriteAheadLog}; the {@code .dcm} file and the index row are written just after,
 * in arrival order, by the spool's filer thread, and the A-RELEASE-RP waits for them ({@link SpoolWriter#awaitIndexed}),
 * so a sender whose release was answered finds every instance indexed. Any failure is answered with a failure status
 * and the association goes on. One audit line is written when the connection ends, whatever happened.
 */
final class AssociationSession implements Runnable {
    static final int SUCCESS = 0x0000;
    static final int PROCESSING_FAILURE = 0x0110;
    static final int OUT_OF_RESOURCES = 0xA700;
    static final int CANNOT_UNDERSTAND = 0xC000;
    private static final Logger log = LoggerFactory.getLogger(AssociationSession.class);

    /** A stalled peer must not pin a session thread forever. */
    private static final int IDLE_TIMEOUT_MS = 120_000;
    /** Our reads: PDU headers come from here, big PDV values bypass it straight into their arrays. */
    private static final int READ_BUFFER = 64 << 10;

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
    /** Accepted presentation context IDs and their transfer syntax; a request on any other is a protocol error. */
    private final java.util.Map<Byte, String> transferSyntaxes = new java.util.HashMap<>();
    private DataInputStream in;
    private OutputStream out;

    AssociationSession(Socket socket, Shared shared) {
        this.socket = socket;
        this.shared = shared;
        this.settings = shared.settings();
        this.stats = shared.stats();
        this.tls = socket instanceof SSLSocket;
        this.tag = "[" + socket.getRemoteSocketAddress() + "]";
    }

    /** When the A-ASSOCIATE-RQ must have arrived whole (System.nanoTime()); set by {@link #admit}. */
    private long deadline;
    /** Set by the ARTIM timer when it closed the socket at the deadline. */
    private volatile boolean expired;
    private boolean slot;

    /**
     * The pre-association part, on a thread of the listener's bounded admission pool: TLS handshake, screening and
     * negotiation, all within {@code deadlineNanos} (a timer closes the socket then). Returns true when the
     * association was accepted: the caller must then run {@link #serveAccepted()} (on a session thread). When false,
     * everything is closed, counted and audited.
     */
    boolean admit(long deadlineNanos, ScheduledExecutorService timer) {
        deadline = deadlineNanos;
        ScheduledFuture<?> artim = null;
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                associateTimedOut();
                finish();
                return false;
            }
            artim = timer.schedule(this::expire, remaining, TimeUnit.NANOSECONDS);
            // a backstop should the timer be late: no single read outlives the deadline by much
            socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining) + 1000));
            if (tls && !handshake((SSLSocket) socket)) {
                finish();
                return false;
            }
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), READ_BUFFER));
            out = socket.getOutputStream();
            AssociateRequestScreen screen = screen();
            if (screen == null) {
                finish();
                return false;
            }
            slot = true;
            byte[] body = readBody(screen, artim);
            if (body == null || !negotiate(body)) {
                finish();
                return false;
            }
            return true;
        } catch (Exception e) {
            if (timedOut()) {
                associateTimedOut();
            } else {
                log.warn("{} TSR-0270: association ended abnormally: {}", tag, e.toString());
            }
            finish();
            return false;
        } finally {
            if (artim != null) {
                artim.cancel(false);
            }
        }
    }

    /** The accepted association, until release, abort or a protocol violation; then closes, counts and audits. */
    void serveAccepted() {
        try {
            serve();
        } catch (Exception e) {
            stats.aborted();
            log.warn("{} TSR-0270: association ended abnormally: {}", tag, e.toString());
        } finally {
            finish();
        }
    }

    /** Both halves on the calling thread, with the settings' associate timeout from now. */
    @Override
    public void run() {
        ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            if (admit(System.nanoTime() + settings.associateTimeout().toNanos(), timer)) {
                serveAccepted();
            }
        } finally {
            timer.shutdownNow();
        }
    }

    private void expire() {
        expired = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is the point; the reading thread sees it
        }
    }

    private boolean timedOut() {
        return expired || System.nanoTime() - deadline >= 0;
    }

    private void associateTimedOut() {
        stats.associateTimedOut();
        refusal = "associate-timeout";
        log.warn("{} TSR-0295: no complete A-ASSOCIATE-RQ within dicom.limits.associateTimeout {} ms; connection closed",
                tag, settings.associateTimeout().toMillis());
    }

    private void finish() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to do with it
        }
        audit();
        if (slot) {
            slot = false;
            stats.associationClosed();
        }
        stats.sessionEnded();
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
            screen = AssociateRequestScreen.read(in);
        } catch (IOException e) {
            if (timedOut()) {
                associateTimedOut();
                return null;
            }
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
            AssociateRequestScreen.reject(out, why);
            return null;
        }
        return screen;
    }

    /** Reads the rest of the request before the deadline (then stops the timer); null when it failed (answered). */
    private byte[] readBody(AssociateRequestScreen screen, ScheduledFuture<?> artim) throws IOException {
        try {
            byte[] body = screen.readBody(in);
            if (!artim.cancel(false) || expired) {
                throw new IOException("associate timeout");
            }
            return body;
        } catch (IOException e) {
            if (timedOut()) {
                associateTimedOut();
                return null;
            }
            stats.refused();
            refusal = "negotiation-failed";
            log.warn("{} TSR-0216: association negotiation failed: {}", tag, e.getMessage());
            UpperLayer.abort(out, UpperLayer.ABORT_REASON_INVALID_PDU_PARAMETER);
            return null;
        }
    }

    /** Parses the request, applies the presentation context policy and sends A-ASSOCIATE-AC (or RJ). */
    private boolean negotiate(byte[] body) throws IOException {
        AssociateRequest rq;
        try {
            rq = AssociateRequest.parse(body);
        } catch (IOException e) {
            stats.refused();
            refusal = "negotiation-failed";
            log.warn("{} TSR-0216: association negotiation failed: {}", tag, e.getMessage());
            UpperLayer.abort(out, UpperLayer.ABORT_REASON_INVALID_PDU_PARAMETER);
            return false;
        }
        if (!rq.standardApplicationContext()) {
            stats.refused(AssociateRequestScreen.Rejection.APPLICATION_CONTEXT_NOT_SUPPORTED);
            refusal = AssociateRequestScreen.Rejection.APPLICATION_CONTEXT_NOT_SUPPORTED.word;
            log.warn("{} TSR-0216: association rejected: application context is not the DICOM one", tag);
            AssociateRequestScreen.reject(out, AssociateRequestScreen.Rejection.APPLICATION_CONTEXT_NOT_SUPPORTED);
            return false;
        }
        java.util.List<PresentationContext> decided = note(shared.policy().applyPresentationContextSelectionPolicy(
                rq.proposedForPolicy(), 0));
        out.write(rq.acceptance(decided, settings.maxPduLength()));
        out.flush();
        stats.accepted(tls);
        accepted = true;
        log.debug("{} association accepted{}", tag, tls ? " over TLS" : "");
        return true;
    }

    /** Serves requests until release, abort, a protocol violation or the peer vanishing. */
    private void serve() throws IOException {
        socket.setSoTimeout(IDLE_TIMEOUT_MS);
        DimseReader reader = new DimseReader(in, out, settings.maxPduLength(), settings.maxInstanceBytes(),
                id -> transferSyntaxes.containsKey((byte) id),
                (id, first) -> InstanceHeader.early(first, transferSyntaxes.get((byte) id)),
                // a sender that saw the release answered finds every instance it sent indexed, as before
                () -> shared.spool().awaitIndexed(),
                () -> shared.spool().openStream());
        while (true) {
            DimseReader.Request request;
            long t = IngestTiming.start();
            try {
                request = reader.next();
                IngestTiming.add(IngestTiming.Phase.RECEIVE, t);
            } catch (UpperLayer.Released released) {
                released();
                return;
            } catch (UpperLayer.ProtocolViolation v) {
                stats.aborted();
                if (v.oversizedPdu) {
                    stats.oversizedPdu();
                    log.warn("{} {}; A-ABORT sent", tag, v.getMessage());
                } else {
                    log.warn("{} {}; aborting", tag, v.getMessage());
                }
                UpperLayer.abort(out, v.abortReason);
                return;
            } catch (java.net.SocketTimeoutException idle) {
                stats.aborted();
                log.warn("{} TSR-0290: no PDU for {} s; aborting", tag, IDLE_TIMEOUT_MS / 1000);
                UpperLayer.abort(out, UpperLayer.ABORT_REASON_UNEXPECTED_PDU);
                return;
            } catch (IOException e) {
                stats.aborted();
                log.warn("{} TSR-0270: association ended without release (peer vanished or aborted): {}", tag, e.getMessage());
                return;
            }
            switch (request.command().commandField()) {
                case CommandSet.C_ECHO_RQ -> answerEcho(request);
                case CommandSet.C_STORE_RQ -> answerStore(request);
                default -> {
                    stats.aborted();
                    log.warn("{} TSR-0217: unsupported DIMSE command 0x{}; aborting", tag,
                            Integer.toHexString(request.command().commandField()));
                    UpperLayer.abort(out, UpperLayer.ABORT_REASON_UNEXPECTED_PDU);
                    return;
                }
            }
        }
    }

    private void released() {
        log.debug("{} association released", tag);
        if (!studies.isEmpty() && shared.onRelease() != null) {
            try {
                shared.onRelease().accept(callingAe, java.util.Set.copyOf(studies));
            } catch (RuntimeException e) {
                log.warn("{} TSR-0287: release notification failed (completion falls back to the quiet period): {}", tag, e.toString());
            }
        }
    }

    /**
     * Counts and logs what the policy refused (each SOP class with its result) and remembers the transfer syntax of
     * what it accepted. With nothing accepted the association is still granted, every context with its own result
     * (PS3.8 allows it): the sender then sees why each was refused, which an A-ASSOCIATE-RJ could not tell it.
     */
    private java.util.List<PresentationContext> note(java.util.LinkedList<?> contexts) {
        java.util.List<PresentationContext> decided = new java.util.ArrayList<>();
        java.util.Map<String, String> refused = new java.util.TreeMap<>();
        for (Object o : contexts) {
            PresentationContext pc = (PresentationContext) o;
            decided.add(pc);
            if (pc.getResultReason() == 0) {
                transferSyntaxes.put(pc.getIdentifier(), pc.getTransferSyntaxUID());
            } else {
                refused.merge(pc.getAbstractSyntaxUID(), resultWord(pc.getResultReason()),
                        (a, b) -> a.equals(b) ? a : a + "/" + b);
            }
        }
        int rejected = decided.size() - transferSyntaxes.size();
        if (rejected > 0) {
            stats.presentationContextsRejected(rejected);
            StringBuilder which = new StringBuilder();
            refused.forEach((uid, why) -> which.append(which.length() == 0 ? "" : ", ").append(uid).append(" (").append(why).append(')'));
            if (transferSyntaxes.isEmpty()) {
                log.warn("{} TSR-0288: no presentation context accepted, all {} refused: {}; the sender can store nothing"
                        + " (dicom.acceptedSopClasses, dicom.acceptedTransferSyntaxes)", tag, rejected, which);
            } else {
                log.info("{} TSR-0288: {} presentation context(s) refused: {}", tag, rejected, which);
            }
        }
        return decided;
    }

    /** PS3.8 Table 9-18 presentation context results, as words. */
    static String resultWord(int result) {
        return switch (result) {
            case 1 -> "user-rejection";
            case 2 -> "no-reason";
            case 3 -> "abstract-syntax-not-supported";
            case 4 -> "transfer-syntaxes-not-supported";
            default -> "result " + result;
        };
    }

    private void answerEcho(DimseReader.Request request) throws IOException {
        stats.echo();
        send(request, CommandSet.echoResponse(request.command().affectedSopClassUid(), request.command().messageId(), SUCCESS));
    }

    private void answerStore(DimseReader.Request request) throws IOException {
        CommandSet command = request.command();
        String sopClass = command.affectedSopClassUid();
        String sopInstance = command.affectedSopInstanceUid();
        StudyBudget budget = shared.budget();
        String reserved = null;
        int status;
        if (request.oversized()) {
            stats.instanceTooLarge();
            status = fail(OUT_OF_RESOURCES, "TSR-0289: instance refused: data set of " + request.dataLength()
                    + " bytes exceeds dicom.limits.maxInstanceBytes " + settings.maxInstanceBytes(), null);
            respond(request, status);
            return;
        }
        try {
            String ts = transferSyntaxes.get(request.presentationContextId());
            if (DataSetStructure.DEFLATED.equals(ts)
                    && DataSetStructure.inflatedLength(request.data(), settings.maxInstanceBytes()) < 0) {
                stats.instanceTooLarge();
                status = fail(OUT_OF_RESOURCES, "TSR-0298: instance refused: deflated data set of " + request.dataLength()
                        + " bytes inflates beyond dicom.limits.maxInstanceBytes " + settings.maxInstanceBytes(), null);
                respond(request, status);
                return;
            }
            if (budget.enabled()) {
                String study = InstanceHeader.parse(request.data(), ts, request.early()).studyUid();
                if (!budget.tryReserve(study, request.dataLength())) {
                    stats.studyLimitExceeded();
                    status = fail(OUT_OF_RESOURCES, "TSR-0281: instance refused: study " + study
                            + " would exceed maxStudyBytes " + budget.maxBytes(), null);
                    respond(request, status);
                    return;
                }
                reserved = study;
            }
            InstanceRecord stored = shared.spool().store(sopClass, sopInstance, ts, callingAe, request.data(),
                    request.dataLength(), request.early(), request.stream());
            studies.add(stored.studyUid());
            reserved = null;
            stats.stored(request.dataLength());
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
            status = fail(OUT_OF_RESOURCES, "TSR-0264: instance could not be written durably", e);
        } catch (StudyIndex.IndexUnavailableException e) {
            status = fail(OUT_OF_RESOURCES, e.getMessage(), null);
        } catch (StudyIndex.IndexException e) {
            status = fail(PROCESSING_FAILURE, "TSR-0265: instance written but not indexed: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            status = fail(PROCESSING_FAILURE, "TSR-0266: unexpected failure storing instance", e);
        } finally {
            if (reserved != null) {
                budget.release(reserved, request.dataLength());
            }
        }
        respond(request, status);
    }

    private void respond(DimseReader.Request request, int status) throws IOException {
        CommandSet c = request.command();
        send(request, CommandSet.storeResponse(c.affectedSopClassUid(), c.affectedSopInstanceUid(), c.messageId(), status));
    }

    private void send(DimseReader.Request request, byte[] command) throws IOException {
        long t = IngestTiming.start();
        out.write(UpperLayer.commandPData(request.presentationContextId(), command));
        out.flush();
        IngestTiming.add(IngestTiming.Phase.RESPOND, t);
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
