package io.tessera.routes;

import io.tessera.dicomio.DicomNetworkException;

/**
 * Whether a destination's answer means "delivered", "try again later" or "will never work". Pure functions, so the
 * policy is in one place and unit-tested; the {@link Outbox} acts on the result (retry with backoff, or park).
 *
 * <p>DIMSE C-STORE statuses (PS3.4 Annex B.2.3, PS3.7 Annex C): 0000 and the warnings B000 (coercion of data
 * elements), B006 (elements discarded) and B007 (data set does not match SOP class) mean the object is stored.
 * A7xx (Refused: Out of Resources — a full disk or a full archive) is retried: it clears when the archive makes room.
 * 0110 (Processing failure) is retried too: it is what archives answer for a transient database or storage error
 * (Tessera's own listener answers it when its index is unavailable), and the outbox bounds the attempts anyway.
 * A9xx (Data Set does not match SOP Class), Cxxx (Cannot understand) and every other failure status (0122 SOP class
 * not supported, 0124 not authorised, …) are permanent: sending the same bytes again gets the same answer.
 *
 * <p>Association level: connection refused, timeouts, I/O errors, A-ABORT and a rejected-transient A-ASSOCIATE-RJ
 * are retried; a rejected-permanent A-ASSOCIATE-RJ (unknown calling/called AE) and unusable TLS settings or
 * certificates are permanent until an operator fixes them (then replay).
 *
 * <p>HTTP (FHIR push): 2xx delivered; 408, 429 and 5xx retried; every other status (4xx: the server understood and
 * refused, e.g. 400 with an OperationOutcome, 401/403, 412 multiple matches for a conditional create) is permanent.
 * An I/O error (connection refused, reset, timeout) is retried.
 */
public enum FailureClass {
    DELIVERED, RETRYABLE, PERMANENT;

    /** Class of a C-STORE response status. */
    public static FailureClass ofDimse(int status) {
        if (status == 0x0000 || status == 0xB000 || status == 0xB006 || status == 0xB007) return DELIVERED;
        if ((status & 0xFF00) == 0xA700 || status == 0x0110) return RETRYABLE;
        return PERMANENT;
    }

    /** Class of an association-level failure. */
    public static FailureClass ofAssociation(DicomNetworkException.Kind kind) {
        return switch (kind) {
            case REJECTED_PERMANENT, TLS -> PERMANENT;
            case CONNECTION_REFUSED, TIMEOUT, REJECTED_TRANSIENT, ABORTED, IO -> RETRYABLE;
        };
    }

    /** Class of an HTTP response status. */
    public static FailureClass ofHttp(int status) {
        if (status >= 200 && status < 300) return DELIVERED;
        if (status == 408 || status == 429 || status >= 500) return RETRYABLE;
        return PERMANENT;
    }
}
