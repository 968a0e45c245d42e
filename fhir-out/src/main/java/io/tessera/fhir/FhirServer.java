package io.tessera.fhir;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.servlet.http.HttpServlet;
import java.util.List;

/**
 * Tessera's own read-only FHIR R4 endpoint over a {@link FhirRepository}: read and search of DiagnosticReport,
 * Observation, Patient, ImagingStudy and Device, and the CapabilityStatement at {@code /metadata}.
 *
 * <p>Mount the servlet at {@code /fhir/*}; it answers JSON unless the client asks for XML.
 */
public final class FhirServer {
    private FhirServer() {}

    public static HttpServlet servlet(FhirRepository repo) {
        RestfulServer server = new RestfulServer(FhirContexts.r4());
        server.setServerName("Tessera");
        server.setImplementationDescription("Tessera AI results (preliminary, not for clinical use)");
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setResourceProviders(List.of(
                new DiagnosticReportProvider(repo),
                new ObservationProvider(repo),
                new PatientProvider(repo),
                new ImagingStudyProvider(repo),
                new DeviceProvider(repo)));
        return server;
    }
}
