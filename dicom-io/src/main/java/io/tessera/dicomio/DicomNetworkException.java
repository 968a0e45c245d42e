package io.tessera.dicomio;

import io.tessera.core.Coded;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * No association could be made (refused, rejected, unreachable) or it broke before any instance was answered.
 * {@link #kind()} says which, so a caller can tell a destination that is down (worth retrying) from one that will
 * never take us (a permanent A-ASSOCIATE-RJ). {@link #code()} is the stable code the message starts with, set when
 * the exception is made.
 */
public class DicomNetworkException extends Exception implements Coded {
    /** No association could be made, or it broke (refused, rejected, aborted, timed out, unreachable). */
    public static final String NO_ASSOCIATION = "TSR-0401";
    /** The TLS handshake failed (untrusted server certificate, no common protocol). */
    public static final String TLS_HANDSHAKE = "TSR-0403";
    /** The server's certificate is trusted but does not name the host we connected to. */
    public static final String TLS_HOST_NAME = "TSR-0406";
    /** The TLS key or trust store cannot be loaded. */
    public static final String TLS_STORES = "TSR-0405";

    /** What went wrong at the association level. */
    public enum Kind {
        /** Nothing listens on the port (TCP RST). */
        CONNECTION_REFUSED,
        /** The peer did not answer in time (connect or read). */
        TIMEOUT,
        /** A-ASSOCIATE-RJ with result 2, rejected-transient (e.g. too many associations). */
        REJECTED_TRANSIENT,
        /** A-ASSOCIATE-RJ with result 1, rejected-permanent (e.g. unknown calling or called AE title). */
        REJECTED_PERMANENT,
        /** A-ABORT or A-P-ABORT from the peer. */
        ABORTED,
        /** The TLS handshake failed (untrusted certificate, protocol mismatch) or the stores are unusable. */
        TLS,
        /** Any other I/O failure (host unknown, connection reset, …). */
        IO
    }

    private final String code;
    private final Kind kind;

    /** @param code one of the codes above; the message becomes {@code code + ": " + message} */
    public DicomNetworkException(String code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
        this.kind = classify(code, getMessage(), cause);
    }

    public DicomNetworkException(String code, String message) {
        this(code, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The stable code, e.g. {@link #TLS_HANDSHAKE}. */
    @Override
    public String code() {
        return code;
    }

    /**
     * Classifies from the exception chain first (types), then from our own code (a TLS failure), then from PixelMed's
     * messages (it throws plain exceptions).
     */
    static Kind classify(String code, String message, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) return Kind.CONNECTION_REFUSED;
            if (t instanceof SocketTimeoutException) return Kind.TIMEOUT;
            if (t instanceof SSLException) return Kind.TLS;
            if (t instanceof NoRouteToHostException || t instanceof UnknownHostException) return Kind.IO;
        }
        StringBuilder text = new StringBuilder(String.valueOf(message));
        for (Throwable t = cause; t != null; t = t.getCause()) text.append(' ').append(t.getMessage());
        String s = text.toString();
        if (s.contains("rejected-permanent")) return Kind.REJECTED_PERMANENT;
        if (s.contains("rejected-transient")) return Kind.REJECTED_TRANSIENT;
        if (TLS_HANDSHAKE.equals(code) || TLS_STORES.equals(code)) return Kind.TLS;
        // PixelMed reports a refused TCP connection as "A-P-ABORT indication - ... ConnectException: Connection refused"
        if (s.contains("Connection refused")) return Kind.CONNECTION_REFUSED;
        if (s.contains("timed out") || s.contains("Timeout")) return Kind.TIMEOUT;
        if (s.contains("ABORT")) return Kind.ABORTED;
        return Kind.IO;
    }
}
