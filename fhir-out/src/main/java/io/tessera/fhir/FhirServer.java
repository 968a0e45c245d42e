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
        return servlet(repo, null);
    }

    /**
     * As {@link #servlet(FhirRepository)}; with a {@code reports} receiver (report intake) it also accepts
     * {@code POST DiagnosticReport} and {@code POST DocumentReference} carrying a radiology report (see
     * {@link ReportCreateProviders}).
     */
    public static HttpServlet servlet(FhirRepository repo, ReportReceiver reports) {
        return servlet(repo, reports, false);
    }

    /**
     * As {@link #servlet(FhirRepository, ReportReceiver)}; when {@code authorised}, every request is checked against
     * the {@link FhirGrant} the HTTP layer attached to it ({@link SmartAuthorization}), and the searches of a
     * patient-bound caller are narrowed to that patient.
     */
    public static HttpServlet servlet(FhirRepository repo, ReportReceiver reports, boolean authorised) {
        RestfulServer server = new RestfulServer(FhirContexts.r4()) {
            @Override
            protected String createPoweredByHeader() {
                return null; // no X-Powered-By: the product and version help only an attacker
            }
        };
        server.setServerName("Tessera");
        server.setImplementationDescription("Tessera AI results (preliminary, not for clinical use)");
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        // Searches are kept (in this JVM) so that next/previous links page through one fixed list of matches.
        ca.uhn.fhir.rest.server.FifoMemoryPagingProvider paging = new ca.uhn.fhir.rest.server.FifoMemoryPagingProvider(500);
        paging.setDefaultPageSize(20);
        paging.setMaximumPageSize(200);
        server.setPagingProvider(paging);
        server.setResourceProviders(List.of(
                new DiagnosticReportProvider(repo),
                new ObservationProvider(repo),
                new PatientProvider(repo),
                new ImagingStudyProvider(repo),
                new DeviceProvider(repo),
                new ProvenanceProvider(repo)));
        if (reports != null) { // report intake
            server.registerProviders(new ReportCreateProviders.DiagnosticReports(reports),
                    new ReportCreateProviders.DocumentReferences(reports));
        }
        if (repo.subscriptions() != null) server.registerProvider(new SubscriptionProvider(repo.subscriptions()));
        if (authorised) {
            server.registerInterceptor(new SmartAuthorization.Narrowing());
            server.registerInterceptor(new SmartAuthorization());
        }
        return server;
    }
}
