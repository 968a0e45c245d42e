package io.tessera.core;

import java.util.Objects;

/** A coded concept: coding scheme designator as DICOM writes it ({@code SCT}, {@code DCM}, {@code LN}, {@code UCUM}), value and meaning. */
public record Code(String scheme, String value, String meaning) {
    public Code {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(meaning, "meaning");
    }

    public static Code sct(String value, String meaning) {
        return new Code("SCT", value, meaning);
    }

    /** The FHIR system URI for this scheme. */
    public String fhirSystem() {
        return switch (scheme) {
            case "SCT" -> "http://snomed.info/sct";
            case "LN" -> "http://loinc.org";
            case "UCUM" -> "http://unitsofmeasure.org";
            case "DCM" -> "http://dicom.nema.org/resources/ontology/DCM";
            default -> "urn:tessera:codes:" + scheme;
        };
    }
}
