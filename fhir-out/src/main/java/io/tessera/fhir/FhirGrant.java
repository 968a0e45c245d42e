package io.tessera.fhir;

import java.util.List;
import java.util.Set;

/**
 * What the authenticated caller of one FHIR request may do: its scopes (SMART scopes and Tessera's own) and, for
 * {@code patient/} scopes, the patient (a {@code Patient} id on this server) they are bound to. The HTTP layer puts
 * it on the servlet request under {@link #ATTRIBUTE}; {@link SmartAuthorization} turns it into HAPI rules.
 */
public record FhirGrant(Set<String> scopes, String patient) {
    public static final String ATTRIBUTE = "io.tessera.fhir.grant";

    /** Tessera's own scope for report intake; it allows creating the report resources, as {@code system/*.c} would. */
    public static final String REPORTS_WRITE = "tessera/reports.write";

    public FhirGrant {
        scopes = Set.copyOf(scopes);
    }

    List<SmartScope> smartScopes() {
        return scopes.stream().map(SmartScope::parse).flatMap(java.util.Optional::stream).toList();
    }
}
