package io.tessera.fhir;

/**
 * A Subscription notification not delivered. {@link #status()}: the receiver's HTTP status, or 0 when it did not
 * answer (connection refused, timeout) — the outbox retries those, and 408, 429 and 5xx; another status is permanent.
 */
public final class NotifyException extends Exception {
    private final int status;

    NotifyException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
