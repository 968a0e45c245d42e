package io.tessera.fhir;

import io.tessera.core.Uids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Deterministic identities of Tessera's FHIR output. Logical ids are 32 hex characters of SHA-256 (valid FHIR ids,
 * well under 64 characters); business identifiers are DICOM-style UIDs from {@link Uids#derive}, so that a result
 * re-made after a crash carries the same identities as the first attempt.
 *
 * <p>The Device UID and tracking UIDs are shared with the DICOM encodings (SEG Contributing Equipment, SR TID 1500):
 * other modules must derive them with the same recipe, documented on each method.
 */
public final class FhirIds {
    /** FHIR system for identifiers that are DICOM UIDs, values {@code urn:oid:<uid>}. */
    public static final String DICOM_UID_SYSTEM = "urn:dicom:uid";

    private FhirIds() {}

    /** 128-bit hex id for a resource of {@code type} identified by {@code parts}. */
    public static String id(String type, String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(type.getBytes(StandardCharsets.UTF_8));
            for (String p : parts) {
                md.update((byte) 0);
                md.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Device UID of a model version: {@link Uids#deviceUid}, the same as the SEG's Contributing Equipment. */
    public static String deviceUid(String modelName, String modelVersion) {
        return Uids.deviceUid(modelName, modelVersion);
    }

    /** Tracking UID of one segment's measurement: {@link Uids#segmentTrackingUid}, the same as the SEG segment's TrackingUID. */
    public static String trackingUid(String segSopInstanceUid, int segmentNumber) {
        return Uids.segmentTrackingUid(segSopInstanceUid, segmentNumber);
    }

    /**
     * UID of the DiagnosticReport: {@code Uids.derive("fhir-report", studyUid, seriesUid, modelName, modelVersion)}. No
     * study version: a re-processed study amends the same report, here and at an EHR that took it by identifier.
     */
    public static String reportUid(String studyUid, String seriesUid, String modelName, String modelVersion) {
        return Uids.derive("fhir-report", studyUid, seriesUid, modelName, modelVersion);
    }

    static String urnOid(String uid) {
        return "urn:oid:" + uid;
    }
}
