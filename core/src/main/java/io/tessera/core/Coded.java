package io.tessera.core;

/**
 * A failure that carries its stable error code ({@code TSR-NNNN}, listed in docs/error-codes.md) as a value, so that a
 * caller recording or classifying it never has to read the code back out of the message.
 */
public interface Coded {
    /** The stable code, {@code TSR-} and four digits; never null. */
    String code();
}
