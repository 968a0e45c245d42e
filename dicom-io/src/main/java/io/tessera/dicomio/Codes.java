package io.tessera.dicomio;

import io.tessera.core.Code;

/** DCM codes used in the objects Tessera writes. */
final class Codes {
    private Codes() {}

    static final Code SOURCE_IMAGE = new Code("DCM", "121322", "Source image for image processing operation");
    static final Code SEGMENTATION = new Code("DCM", "113076", "Segmentation");
    static final Code ARTIFICIAL_INTELLIGENCE = new Code("DCM", "123110", "Artificial Intelligence");
    /** CID 7005: 109102 is "Processing Equipment" (109103 would mean "Modifying Equipment"). */
    static final Code PROCESSING_EQUIPMENT = new Code("DCM", "109102", "Processing Equipment");
}
