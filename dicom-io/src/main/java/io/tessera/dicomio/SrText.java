package io.tessera.dicomio;

/**
 * The report text of one structured report instance, with the identifiers that attach it to its study. {@code text}
 * is PHI-ish: never log it.
 *
 * @param accessionNumber empty when the SR does not carry one
 * @param verified        true when VerificationFlag is VERIFIED (signed by a radiologist)
 */
public record SrText(String sopInstanceUid, String sopClassUid, String studyInstanceUid, String accessionNumber,
                     boolean verified, String text) {}
