package io.tessera.inference;

/** A segmentation that failed; the message starts with a stable code ({@code TSR-032x}) and names the model. */
public final class InferenceException extends Exception {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public InferenceException(String message) {
        super(message);
    }
}
