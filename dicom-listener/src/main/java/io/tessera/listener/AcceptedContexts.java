package io.tessera.listener;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which presentation contexts the listener accepts: SOP classes (abstract syntaxes) and transfer syntaxes, as UIDs.
 * Keywords ({@code CTImageStorage}, {@code JPEGLSLossless}) are resolved by the configuration before they get here.
 *
 * @param allStorage       every storage SOP class known to PixelMed's {@code SOPClass.isStorage}, besides {@code sopClasses}
 * @param sopClasses       further SOP class UIDs accepted (e.g. Verification, a private or newer storage class)
 * @param transferSyntaxes transfer syntax UIDs accepted, most preferred first: of those a context proposes, the first
 *                         in this list is chosen
 */
public record AcceptedContexts(boolean allStorage, Set<String> sopClasses, List<String> transferSyntaxes) {
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    /**
     * The default preference: explicit VR (keeps the VRs of private elements) before implicit, as dcmtk storescp's
     * default, so that a big endian file that storescu proposes as [big endian, implicit] is received as sent; then
     * deflate, the lossless compressions, then the lossy ones. Senders such as storescu propose a compressed file's
     * own transfer syntax in a context of its own, so it is received as sent, never transcoded.
     */
    public static final List<String> DEFAULT_TRANSFER_SYNTAXES = List.of(
            "1.2.840.10008.1.2.1",      // ExplicitVRLittleEndian
            "1.2.840.10008.1.2.2",      // ExplicitVRBigEndian (retired, still sent by old modalities)
            "1.2.840.10008.1.2",        // ImplicitVRLittleEndian
            "1.2.840.10008.1.2.1.99",   // DeflatedExplicitVRLittleEndian
            "1.2.840.10008.1.2.4.70",   // JPEGLosslessSV1
            "1.2.840.10008.1.2.4.57",   // JPEGLossless
            "1.2.840.10008.1.2.4.80",   // JPEGLSLossless
            "1.2.840.10008.1.2.4.90",   // JPEG2000Lossless
            "1.2.840.10008.1.2.5",      // RLELossless
            "1.2.840.10008.1.2.4.81",   // JPEGLSNearLossless
            "1.2.840.10008.1.2.4.91",   // JPEG2000
            "1.2.840.10008.1.2.4.50",   // JPEGBaseline8Bit
            "1.2.840.10008.1.2.4.51");  // JPEGExtended12Bit

    /** PS3.5 §9.1: components of digits without leading zeros, separated by dots, at most 64 characters. */
    private static final String UID = "(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*";

    public AcceptedContexts {
        Objects.requireNonNull(sopClasses, "sopClasses");
        Objects.requireNonNull(transferSyntaxes, "transferSyntaxes");
        for (String uid : sopClasses) {
            checkUid(uid, "SOP class");
        }
        for (String uid : transferSyntaxes) {
            checkUid(uid, "transfer syntax");
        }
        if (!allStorage && sopClasses.isEmpty()) {
            throw new IllegalArgumentException("TSR-0116: no SOP class is accepted: every association would be useless");
        }
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("TSR-0116: no transfer syntax is accepted: every association would be useless");
        }
        sopClasses = Set.copyOf(sopClasses);
        transferSyntaxes = List.copyOf(new LinkedHashSet<>(transferSyntaxes));
    }

    /** Every storage SOP class, Verification, and {@link #DEFAULT_TRANSFER_SYNTAXES}. */
    public static AcceptedContexts defaults() {
        return new AcceptedContexts(true, Set.of(VERIFICATION), DEFAULT_TRANSFER_SYNTAXES);
    }

    static boolean isUid(String s) {
        return s != null && s.length() <= 64 && s.matches(UID);
    }

    private static void checkUid(String uid, String what) {
        if (!isUid(uid)) {
            throw new IllegalArgumentException("TSR-0114: accepted " + what + " is not a well-formed UID: '" + uid + "'");
        }
    }
}
