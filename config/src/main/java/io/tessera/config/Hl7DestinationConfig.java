package io.tessera.config;

import jakarta.validation.constraints.Pattern;

/**
 * The MSH header fields of the ORU^R01 an {@code hl7} destination receives: {@code receivingApplication} (MSH-5) and
 * {@code receivingFacility} (MSH-6) name the RIS/EHR interface, as its interface engine expects; {@code
 * sendingApplication} (MSH-3, default {@code TESSERA}) and {@code sendingFacility} (MSH-4, default empty) name us.
 * HL7 delimiters are not allowed in them.
 */
public record Hl7DestinationConfig(
        @Pattern(regexp = "[^|^~\\\\&\\r\\n]*", message = "must not contain HL7 delimiters (| ^ ~ \\ &)") String receivingApplication,
        @Pattern(regexp = "[^|^~\\\\&\\r\\n]*", message = "must not contain HL7 delimiters (| ^ ~ \\ &)") String receivingFacility,
        @Pattern(regexp = "[^|^~\\\\&\\r\\n]*", message = "must not contain HL7 delimiters (| ^ ~ \\ &)") String sendingApplication,
        @Pattern(regexp = "[^|^~\\\\&\\r\\n]*", message = "must not contain HL7 delimiters (| ^ ~ \\ &)") String sendingFacility) {

    public static Hl7DestinationConfig defaults() {
        return new Hl7DestinationConfig("", "", "TESSERA", "");
    }

    public String sendingApplicationOrDefault() {
        return sendingApplication == null || sendingApplication.isBlank() ? "TESSERA" : sendingApplication;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public String receivingApplicationOrEmpty() {
        return orEmpty(receivingApplication);
    }

    public String receivingFacilityOrEmpty() {
        return orEmpty(receivingFacility);
    }

    public String sendingFacilityOrEmpty() {
        return orEmpty(sendingFacility);
    }
}
