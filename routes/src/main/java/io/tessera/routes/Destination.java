package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import java.nio.file.Path;

/**
 * One configured destination, of one kind ({@code type: dicom|folder|fhir|hl7}), made once at start by
 * {@link Destinations#of}. What differs between kinds is asked of it, never decided by its type name: what results it
 * takes, how a file is sent, whether it can be probed while its circuit is open, what the audit log names as target.
 */
public interface Destination {
    DestinationConfig config();

    default String name() {
        return config().name();
    }

    /** The configured kind ({@code dicom}, {@code folder}, {@code fhir}), as the audit log records it. */
    default String type() {
        return config().type();
    }

    /**
     * True for a destination that takes DICOM objects (forwarded instances, SEG, SR, Secondary Captures); false for one
     * that takes a job's results as a FHIR transaction Bundle instead (a FHIR server takes results, not images).
     */
    boolean takesImages();

    /** True when it also wants the burned-in Secondary Capture series of a SEG. */
    default boolean wantsBurnedInFallback() {
        return false;
    }

    /** True when repeated retryable failures open its circuit (then {@link #probe} decides when sending resumes). */
    default boolean opensCircuit() {
        return false;
    }

    /** Where an export went, in the audit log's words (AE title and address, URL, or folder). */
    String auditTarget();

    /** Sends one file; throws with a reason an operator can act on when the destination does not take it. */
    void send(Transport via, String studyUid, String sopInstanceUid, Path file) throws Deliverer.DeliveryException;

    /** Checks that it answers; nothing is checked where there is no such check (the next send is the probe). */
    default void probe(Transport via) throws Deliverer.DeliveryException {}
}
