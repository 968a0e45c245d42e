package io.tessera.routes.reports;

/** A report that cannot be accepted as sent (the sender must fix it); the message starts with a stable code. */
public final class ReportRejected extends Exception {
    public ReportRejected(String message) {
        super(message);
    }
}
