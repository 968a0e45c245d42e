package io.tessera.listener;

import java.util.concurrent.atomic.AtomicLong;

/** Live counters shared by the sessions; {@link #snapshot()} gives the public view. */
final class ListenerStats {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final AtomicLong active = new AtomicLong();

    void accepted() { accepted.incrementAndGet(); }
    void refused() { refused.incrementAndGet(); }
    void stored() { stored.incrementAndGet(); }
    void storeFailed() { failures.incrementAndGet(); }
    void echo() { echoes.incrementAndGet(); }
    void sessionStarted() { active.incrementAndGet(); }
    void sessionEnded() { active.decrementAndGet(); }
    long activeSessions() { return active.get(); }

    ListenerCounters snapshot() {
        return new ListenerCounters(accepted.get(), refused.get(), stored.get(), failures.get(), echoes.get());
    }
}
