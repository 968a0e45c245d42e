package io.tessera.routes.cluster;

/**
 * The outcome of asking for a study version's lease: {@code acquired} (then {@code takeover} if a lapsed lease of a
 * dead node was taken, and {@code takeovers} how often that has happened to this version), or held by {@code holder}.
 */
public record Lease(boolean acquired, boolean takeover, int takeovers, String holder) {
    static Lease fresh(int takeovers) {
        return new Lease(true, false, takeovers, null);
    }

    static Lease takenOver(int takeovers) {
        return new Lease(true, true, takeovers, null);
    }

    static Lease heldBy(String holder) {
        return new Lease(false, false, 0, holder);
    }
}
