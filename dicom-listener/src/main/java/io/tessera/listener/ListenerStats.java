package io.tessera.listener;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters shared by the sessions; {@link #snapshot()} gives the public view. */
final class ListenerStats {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedCalling = new AtomicLong();
    private final AtomicLong refusedCalled = new AtomicLong();
    private final AtomicLong refusedLimit = new AtomicLong();
    private final AtomicLong tlsFailures = new AtomicLong();
    private final AtomicLong tlsAccepted = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong storedBytes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong studyLimit = new AtomicLong();
    private final AtomicLong instanceTooLarge = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final AtomicLong associations = new AtomicLong();
    private final AtomicLong notDicom = new AtomicLong();
    private final AtomicLong rejectedContexts = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong invalidUids = new AtomicLong();
    private final AtomicLong oversizedPdus = new AtomicLong();
    private final AtomicLong aborted = new AtomicLong();
    private final AtomicLong associateTimeouts = new AtomicLong();
    private final AtomicLong refusedPerSource = new AtomicLong();
    private final AtomicLong refusedAdmissionFull = new AtomicLong();

    void accepted(boolean tls) {
        accepted.incrementAndGet();
        if (tls) {
            tlsAccepted.incrementAndGet();
        }
    }
    void refused() { refused.incrementAndGet(); }
    /** A connection whose first bytes were not an A-ASSOCIATE-RQ (also counted as refused). */
    void notDicom() {
        refused.incrementAndGet();
        notDicom.incrementAndGet();
    }
    void presentationContextsRejected(int n) { rejectedContexts.addAndGet(n); }
    void malformedInstance() { malformed.incrementAndGet(); }
    void invalidUid() { invalidUids.incrementAndGet(); }
    void oversizedPdu() { oversizedPdus.incrementAndGet(); }
    /** An accepted association that ended without an orderly release (peer vanished, A-ABORT either way). */
    void aborted() { aborted.incrementAndGet(); }
    void refused(AssociateRequestScreen.Rejection why) {
        refused.incrementAndGet();
        switch (why) {
            case CALLING_AE_NOT_RECOGNISED, CALLING_AE_WRONG_HOST -> refusedCalling.incrementAndGet();
            case CALLED_AE_NOT_RECOGNISED -> refusedCalled.incrementAndGet();
            case LOCAL_LIMIT_EXCEEDED -> refusedLimit.incrementAndGet();
            case APPLICATION_CONTEXT_NOT_SUPPORTED -> { }
        }
    }
    void tlsHandshakeFailed() {
        refused.incrementAndGet();
        tlsFailures.incrementAndGet();
    }
    /** A connection closed because its A-ASSOCIATE-RQ had not arrived whole within the associate timeout. */
    void associateTimedOut() {
        refused.incrementAndGet();
        associateTimeouts.incrementAndGet();
    }
    /** A connection closed at accept: its address already held maxConnectionsPerSource unscreened connections. */
    void refusedPerSource() {
        refused.incrementAndGet();
        refusedPerSource.incrementAndGet();
    }
    /** A connection closed at accept: every admission thread busy and the admission queue full. */
    void refusedAdmissionFull() {
        refused.incrementAndGet();
        refusedAdmissionFull.incrementAndGet();
    }
    void stored(long bytes) {
        stored.incrementAndGet();
        storedBytes.addAndGet(bytes);
    }
    void storeFailed() { failures.incrementAndGet(); }
    void studyLimitExceeded() { studyLimit.incrementAndGet(); }

    void instanceTooLarge() { instanceTooLarge.incrementAndGet(); }
    void echo() { echoes.incrementAndGet(); }
    void sessionStarted() { active.incrementAndGet(); }
    void sessionEnded() { active.decrementAndGet(); }
    long activeSessions() { return active.get(); }

    /** Takes an association slot if fewer than {@code max} are held. */
    boolean tryOpenAssociation(int max) {
        while (true) {
            long now = associations.get();
            if (now >= max) {
                return false;
            }
            if (associations.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }
    void associationClosed() { associations.decrementAndGet(); }

    ListenerCounters snapshot() {
        return new ListenerCounters(accepted.get(), refused.get(), refusedCalling.get(), refusedCalled.get(),
                refusedLimit.get(), tlsFailures.get(), tlsAccepted.get(), associations.get(), stored.get(),
                failures.get(), studyLimit.get(), echoes.get(), notDicom.get(), rejectedContexts.get(), malformed.get(),
                invalidUids.get(), oversizedPdus.get(), aborted.get(), instanceTooLarge.get(), associateTimeouts.get(),
                refusedPerSource.get(), refusedAdmissionFull.get(), storedBytes.get());
    }
}
