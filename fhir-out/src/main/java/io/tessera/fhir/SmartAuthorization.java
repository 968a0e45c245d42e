package io.tessera.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;

/**
 * SMART scopes as HAPI authorisation rules: {@code system/} and {@code user/} scopes read or create their resource
 * types anywhere, {@code patient/} scopes only inside the token's patient's compartment (and searches are narrowed to
 * it by {@link Narrowing}, so a search does not fail on other patients' resources but never returns them). Report
 * intake ({@code POST DiagnosticReport}/{@code DocumentReference}) also takes Tessera's {@code tessera/reports.write}.
 * The CapabilityStatement is open: it describes the server, not a patient. Anything not allowed is 403.
 */
public final class SmartAuthorization extends AuthorizationInterceptor {
    private static final List<String> REPORT_TYPES = List.of("DiagnosticReport", "DocumentReference");

    public SmartAuthorization() {
        super(PolicyEnum.DENY);
    }

    /** The grant the HTTP layer attached to this request; none means nothing is allowed. */
    static FhirGrant grantOf(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null
                && servlet.getServletRequest().getAttribute(FhirGrant.ATTRIBUTE) instanceof FhirGrant grant) {
            return grant;
        }
        return null;
    }

    @Override
    public List<IAuthRule> buildRuleList(RequestDetails request) {
        IAuthRuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata();
        FhirGrant grant = grantOf(request);
        if (grant == null) return rules.denyAll("no authenticated caller").build();
        for (SmartScope scope : grant.smartScopes()) {
            boolean everyType = scope.type().equals("*");
            if (scope.read() || scope.search()) {
                var read = everyType ? rules.allow(scope.toString()).read().allResources()
                        : rules.allow(scope.toString()).read().resourcesOfType(scope.type());
                if (!scope.patientBound()) read.withAnyId();
                else if (grant.patient() != null) read.inCompartment("Patient", new IdType("Patient", grant.patient()));
            }
            if (scope.create() && !scope.patientBound()) {
                for (String type : REPORT_TYPES) {
                    if (scope.covers(type)) rules.allow(scope.toString()).create().resourcesOfType(type).withAnyId();
                }
            }
        }
        SubscriptionAccess.addRules(rules, grant);
        if (grant.scopes().contains(FhirGrant.REPORTS_WRITE)) {
            for (String type : REPORT_TYPES) rules.allow(FhirGrant.REPORTS_WRITE).create().resourcesOfType(type).withAnyId();
        }
        return rules.denyAll("insufficient scope").build();
    }

    /** Narrows the searches of a caller whose reading is bound to one patient to that patient's compartment. */
    public static final class Narrowing extends SearchNarrowingInterceptor {
        @Override
        protected AuthorizedList buildAuthorizedList(RequestDetails request) {
            FhirGrant grant = grantOf(request);
            if (grant == null || grant.patient() == null) return null;
            List<SmartScope> reads = grant.smartScopes().stream().filter(s -> s.read() || s.search()).toList();
            boolean onlyPatientBound = !reads.isEmpty() && reads.stream().allMatch(SmartScope::patientBound);
            return onlyPatientBound ? new AuthorizedList().addCompartment("Patient/" + grant.patient()) : null;
        }
    }
}
