package io.tessera.fhir;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;

/**
 * The Provenance of one result set (HL7 AI Transparency, second level): targets the DiagnosticReport and its
 * Observations, agent the model's Device as author (and the grounding method's Device when it differs), entity the
 * source ImagingStudy, recorded when the result was issued. One per result slot: a re-processed study gives it a new
 * version naming the new Observations.
 */
final class ResultProvenance {
    static final String PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    private ResultProvenance() {}

    static Provenance of(FhirResultSet set) {
        Provenance p = new Provenance();
        p.setId(FhirIds.id("Provenance", set.key()));
        p.addTarget(References.to(set.report()));
        for (Observation o : set.observations()) p.addTarget(References.to(o));
        p.setRecorded(set.report().getIssued());
        p.setActivity(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE",
                "create")));
        agent(p, set.device());
        for (Device d : set.otherDevices()) agent(p, d);
        p.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(References.to(set.imagingStudy()));
        Narratives.set(p, "Made by AI: " + set.device().getDeviceNameFirstRep().getName()
                + " from the images of the study; preliminary, not for clinical use.");
        return p;
    }

    private static void agent(Provenance p, Device d) {
        p.addAgent().setType(new CodeableConcept(new Coding(PARTICIPANT_TYPE, "author", "Author")))
                .setWho(References.to(d));
    }
}
