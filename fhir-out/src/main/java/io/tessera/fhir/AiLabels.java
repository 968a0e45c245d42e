package io.tessera.fhir;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Resource;

/**
 * The HL7 AI Transparency security label: {@code meta.security} {@code v3-ObservationValue#AIAST} ("Artificial
 * Intelligence asserted") on every resource whose content a model produced (the DiagnosticReport and its
 * Observations), so an EHR can tell AI output apart without reading the Provenance.
 */
final class AiLabels {
    static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    static final String AI_ASSERTED = "AIAST";
    /**
     * The code entered HL7 Terminology with its release 6.0.0; FHIR R4's own copy of the code system predates it, so the
     * coding names the release it comes from (validators then check it against that release, not R4's copy).
     */
    static final String VERSION = "6.0.0";

    private AiLabels() {}

    static <T extends Resource> T label(T r) {
        boolean present = r.getMeta().getSecurity().stream()
                .anyMatch(c -> SYSTEM.equals(c.getSystem()) && AI_ASSERTED.equals(c.getCode()));
        if (!present) r.getMeta().addSecurity(new Coding(SYSTEM, AI_ASSERTED, "Artificial Intelligence asserted").setVersion(VERSION));
        return r;
    }
}
