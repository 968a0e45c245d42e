package io.tessera.fhir;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;

/**
 * The DICOMweb service of a study, as FHIR's ImagingStudy names it: an Endpoint with connection type
 * {@code dicom-wado-rs} and the service's base URL, contained in the ImagingStudy (it has no life of its own here) and
 * referenced from {@code ImagingStudy.endpoint}.
 */
final class ImagingEndpoint {
    static final String CONNECTION_TYPES = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
    static final String PAYLOAD_TYPES = "http://terminology.hl7.org/CodeSystem/endpoint-payload-type";

    private ImagingEndpoint() {}

    static void attach(ImagingStudy s, String baseUrl) {
        Endpoint e = new Endpoint();
        e.setId("wado-rs");
        e.setStatus(Endpoint.EndpointStatus.ACTIVE);
        e.setConnectionType(new Coding(CONNECTION_TYPES, "dicom-wado-rs", "DICOM WADO-RS"));
        e.addPayloadType(new CodeableConcept(new Coding(PAYLOAD_TYPES, "none", "None")).setText("DICOM"));
        e.addPayloadMimeType("application/dicom");
        e.setAddress(baseUrl);
        s.getContained().removeIf(r -> "wado-rs".equals(r.getIdElement().getIdPart()));
        s.addContained(e);
        s.getEndpoint().clear();
        s.addEndpoint(new Reference("#wado-rs"));
    }
}
