package io.tessera.dicomio;

import io.tessera.core.Code;

/** Concept names of the TID 1500 measurement report (DCMR), in the order the report uses them. */
final class SrCodes {
    private SrCodes() {}

    static final Code IMAGING_MEASUREMENT_REPORT = new Code("DCM", "126000", "Imaging Measurement Report");
    static final Code LANGUAGE = new Code("DCM", "121049", "Language of Content Item and Descendants");
    static final Code ENGLISH_US = new Code("RFC5646", "en-US", "English (United States)");
    static final Code OBSERVER_TYPE = new Code("DCM", "121005", "Observer Type");
    static final Code DEVICE = new Code("DCM", "121007", "Device");
    /** TID 4019 Algorithm Identification: which method drew a finding's outline. */
    static final Code ALGORITHM_NAME = new Code("DCM", "111001", "Algorithm Name");
    static final Code ALGORITHM_VERSION = new Code("DCM", "111003", "Algorithm Version");
    static final Code ALGORITHM_PARAMETERS = new Code("DCM", "111002", "Algorithm Parameters");
    static final Code DEVICE_OBSERVER_UID = new Code("DCM", "121012", "Device Observer UID");
    static final Code DEVICE_OBSERVER_NAME = new Code("DCM", "121013", "Device Observer Name");
    static final Code DEVICE_OBSERVER_MANUFACTURER = new Code("DCM", "121014", "Device Observer Manufacturer");
    static final Code DEVICE_OBSERVER_MODEL_NAME = new Code("DCM", "121015", "Device Observer Model Name");
    static final Code DEVICE_OBSERVER_SERIAL = new Code("DCM", "121016", "Device Observer Serial Number");
    static final Code PROCEDURE_REPORTED = new Code("DCM", "121058", "Procedure reported");
    static final Code IMAGING_PROCEDURE = Code.sct("363679005", "Imaging procedure");
    static final Code IMAGE_LIBRARY = new Code("DCM", "111028", "Image Library");
    static final Code IMAGE_LIBRARY_GROUP = new Code("DCM", "126200", "Image Library Group");
    static final Code MODALITY = new Code("DCM", "121139", "Modality");
    static final Code FRAME_OF_REFERENCE_UID = new Code("DCM", "112227", "Frame of Reference UID");
    static final Code IMAGING_MEASUREMENTS = new Code("DCM", "126010", "Imaging Measurements");
    static final Code MEASUREMENT_GROUP = new Code("DCM", "125007", "Measurement Group");
    static final Code TRACKING_IDENTIFIER = new Code("DCM", "112039", "Tracking Identifier");
    static final Code TRACKING_UID = new Code("DCM", "112040", "Tracking Unique Identifier");
    static final Code FINDING = new Code("DCM", "121071", "Finding");
    static final Code FINDING_SITE = Code.sct("363698007", "Finding Site");
    static final Code REFERENCED_SEGMENT = new Code("DCM", "121191", "Referenced Segment");
    static final Code SOURCE_SERIES_FOR_SEGMENTATION = new Code("DCM", "121232", "Source series for segmentation");
    static final Code VOLUME = Code.sct("118565006", "Volume");
    static final Code DIAMETER = Code.sct("81827009", "Diameter");
    static final Code AREA = Code.sct("42798000", "Area");
    static final Code DERIVATION = new Code("DCM", "121401", "Derivation");
    static final Code MAXIMUM = Code.sct("56851009", "Maximum");
    static final Code QUALITATIVE_EVALUATIONS = new Code("UMLS", "C0034375", "Qualitative Evaluations");
    /** CAD SR's likelihood of a finding, 0-100 % (CID 6048 usage): a classifier's probability as a percentage. */
    static final Code CERTAINTY_OF_FINDING = new Code("DCM", "111012", "Certainty of Finding");
    static final Code PRESENT = Code.sct("52101004", "Present");
    static final Code ABSENT = Code.sct("2667000", "Absent");
    static final Code PERCENT = new Code("UCUM", "%", "percent");
    static final Code ML = new Code("UCUM", "ml", "milliliter");
    static final Code MM = new Code("UCUM", "mm", "millimeter");
    static final Code MM2 = new Code("UCUM", "mm2", "square millimeter");

    /** CID 29 acquisition modality, or {@code null} when Tessera has no code meaning for it. */
    static Code modality(String modality) {
        if (modality == null) return null;
        return switch (modality) {
            case "CT" -> new Code("DCM", "CT", "Computed Tomography");
            case "MR" -> new Code("DCM", "MR", "Magnetic Resonance");
            case "PT" -> new Code("DCM", "PT", "Positron emission tomography");
            case "DX" -> new Code("DCM", "DX", "Digital Radiography");
            case "CR" -> new Code("DCM", "CR", "Computed Radiography");
            case "MG" -> new Code("DCM", "MG", "Mammography");
            case "US" -> new Code("DCM", "US", "Ultrasound");
            default -> null;
        };
    }
}
