package io.tessera.core;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic UIDs: the same inputs always give the same {@code 2.25.<uuid>} UID, so that a result re-made after
 * a crash carries the UIDs of the first attempt (docs/design.md, "Identity and UIDs").
 */
public final class Uids {
    private Uids() {}

    public static String derive(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update((p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            byte[] h = md.digest();
            // RFC 4122 version 8 style: 122 bits of hash with version/variant bits set.
            h[6] = (byte) ((h[6] & 0x0f) | 0x80);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            long msb = 0, lsb = 0;
            for (int i = 0; i < 8; i++) msb = (msb << 8) | (h[i] & 0xff);
            for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (h[i] & 0xff);
            return fromUuid(new UUID(msb, lsb));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Device UID of a model version, shared by SEG Contributing Equipment, SR and the FHIR Device. */
    public static String deviceUid(String modelName, String modelVersion) {
        return derive("device", modelName, modelVersion);
    }

    /**
     * Tracking UID of segment {@code segmentNumber} (1-based, as numbered in the SEG) of the SEG instance
     * {@code segSopInstanceUid}: the SEG segment, its SR measurement group and its FHIR Observation all carry it.
     */
    public static String segmentTrackingUid(String segSopInstanceUid, int segmentNumber) {
        return derive(segSopInstanceUid, "segment", Integer.toString(segmentNumber));
    }

    public static String random() {
        return fromUuid(UUID.randomUUID());
    }

    static String fromUuid(UUID u) {
        byte[] b = new byte[17];
        long msb = u.getMostSignificantBits(), lsb = u.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) b[1 + i] = (byte) (msb >>> (56 - 8 * i));
        for (int i = 0; i < 8; i++) b[9 + i] = (byte) (lsb >>> (56 - 8 * i));
        return "2.25." + new BigInteger(b).toString();
    }
}
