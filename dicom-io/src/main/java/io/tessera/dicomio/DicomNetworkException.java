package io.tessera.dicomio;

/** No association could be made (refused, rejected, unreachable) or it broke before any instance was answered. */
public class DicomNetworkException extends Exception {
    public DicomNetworkException(String message, Throwable cause) {
        super(message, cause);
    }

    public DicomNetworkException(String message) {
        super(message);
    }
}
