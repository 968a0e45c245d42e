package io.tessera.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * The HL7 v2 report intake: an MLLP listener for ORU^R01 messages on {@code bindAddress:port} (off by default).
 * {@code accessionField} names where the accession number is read, as {@code SEGMENT-FIELD} or
 * {@code SEGMENT-FIELD.COMPONENT} (HL7 numbering, from 1): {@code OBR-3} (filler order number, the default),
 * {@code OBR-2} (placer order number), {@code ORC-3} or {@code OBR-18} (placer field 1) as sites use them.
 */
public record Hl7Config(
        boolean enabled,
        @NotBlank String bindAddress,
        @Min(value = 0, message = "must be between 0 and 65535") @Max(value = 65535, message = "must be between 0 and 65535") int port,
        @NotNull @Pattern(regexp = "(OBR|ORC)-[1-9][0-9]{0,2}(\\.[1-9][0-9]?)?",
                message = "must be SEGMENT-FIELD or SEGMENT-FIELD.COMPONENT of OBR or ORC, e.g. OBR-3") String accessionField) {

    /** The defaults of tessera-defaults.yaml. */
    public static Hl7Config defaults() {
        return new Hl7Config(false, "127.0.0.1", 2575, "OBR-3");
    }
}
