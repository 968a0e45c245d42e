package io.tessera.dicomio;

import java.util.Objects;

/**
 * How {@link RadiographWriter} writes a projection radiograph.
 *
 * @param kind          {@link Kind#DX} (Digital X-Ray Image Storage – For Presentation) or {@link Kind#CR}
 * @param monochrome1   stored inverted (MONOCHROME1: higher values darker), as many CR and DX detectors send
 * @param windowCenter  VOI LUT window centre in MONOCHROME2 terms (the writer mirrors it for MONOCHROME1)
 * @param windowWidth   VOI LUT window width
 */
public record RadiographSpec(Kind kind, String seriesInstanceUid, String sopInstanceUid, int seriesNumber,
                             String seriesDescription, boolean monochrome1, double windowCenter, double windowWidth) {
    /** The storage class written. */
    public enum Kind {
        DX("1.2.840.10008.5.1.4.1.1.1.1"), CR("1.2.840.10008.5.1.4.1.1.1");

        public final String sopClassUid;

        Kind(String uid) {
            this.sopClassUid = uid;
        }
    }

    public RadiographSpec {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        if (!(windowWidth >= 1)) throw new IllegalArgumentException("TSR-0257: window width must be at least 1");
    }
}
