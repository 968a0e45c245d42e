package io.tessera.core;

/** Side named by the report text. Never guessed: {@code UNSPECIFIED} when the text names none. */
public enum Laterality {
    LEFT, RIGHT, BILATERAL, UNSPECIFIED
}
