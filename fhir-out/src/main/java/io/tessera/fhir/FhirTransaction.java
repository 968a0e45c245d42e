package io.tessera.fhir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A result set as a FHIR {@code transaction} Bundle for an external server, every entry conditional on the resource's
 * stable identifier (Patient: the DICOM Patient ID; ImagingStudy: the Study Instance UID; Device: the model's Device
 * UID; Observation: the segment's tracking UID; DiagnosticReport: the report UID, the same for every study version).
 * Results are conditional updates ({@code PUT Type?identifier=system|value}): a re-processed study amends the report
 * the EHR holds, the ImagingStudy there gains the SEG/SR series, and the superseded Observations (carried in the set as
 * {@link FhirResultSet#retracted()}) become {@code entered-in-error}. Patient and Device are conditional creates
 * ({@code POST} with {@code ifNoneExist}): the hospital's own Patient is never overwritten, and a Device stands for one
 * model version. A redelivery (after a crash, a lost response, a replay) therefore changes nothing.
 *
 * <p>The server assigns its own ids, so references between the resources point at each entry's {@code fullUrl}, a
 * {@code urn:uuid:} derived from the resource's Tessera id (the same on every build of the Bundle); the server
 * rewrites them to whatever it created or found. A resource without an identifier (a Patient without Patient ID) is
 * created unconditionally — there is nothing stable to match on.
 */
public final class FhirTransaction {
    /** The types a later push updates in place; the others are only created when missing. */
    static final Set<String> UPDATED = Set.of("ImagingStudy", "Observation", "DiagnosticReport");

    private FhirTransaction() {}

    /** The transaction Bundle as JSON. */
    public static String json(FhirResultSet set) {
        return FhirContexts.r4().newJsonParser().encodeResourceToString(bundle(set));
    }

    static Bundle bundle(FhirResultSet set) {
        Map<String, String> fullUrls = new HashMap<>();
        for (Resource r : set.resources()) {
            String ref = r.fhirType() + "/" + r.getIdElement().getIdPart();
            fullUrls.put(ref, "urn:uuid:" + UUID.nameUUIDFromBytes(("tessera:" + ref).getBytes(StandardCharsets.UTF_8)));
        }
        Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<Resource> all = new ArrayList<>();
        // The Provenance stays on Tessera's endpoint: it has no business identifier, so no write of it could be
        // conditional, and a redelivery would duplicate it at the EHR.
        for (Resource r : set.resources()) if (!(r instanceof org.hl7.fhir.r4.model.Provenance)) all.add(r);
        all.addAll(set.retracted());
        for (Resource r : set.retracted()) {
            String ref = r.fhirType() + "/" + r.getIdElement().getIdPart();
            fullUrls.put(ref, "urn:uuid:" + UUID.nameUUIDFromBytes(("tessera:" + ref).getBytes(StandardCharsets.UTF_8)));
        }
        for (Resource original : all) {
            Resource r = original.copy();
            String ref = r.fhirType() + "/" + original.getIdElement().getIdPart();
            for (Reference reference : FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
                String target = fullUrls.get(reference.getReference());
                if (target != null) reference.setReference(target);
            }
            r.setIdElement(null);
            Bundle.BundleEntryComponent e = b.addEntry().setFullUrl(fullUrls.get(ref)).setResource(r);
            String condition = ifNoneExist(original);
            if (condition != null && UPDATED.contains(r.fhirType())) {
                e.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(r.fhirType() + "?" + condition);
            } else {
                e.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType());
                if (condition != null) e.getRequest().setIfNoneExist(condition);
            }
        }
        return b;
    }

    /** {@code identifier=system|value} of the resource's first identifier with a value, URL-encoded; null if none. */
    static String ifNoneExist(Resource r) {
        for (Identifier id : FhirContexts.r4().newTerser().getValues(r, "identifier", Identifier.class)) {
            if (!id.hasValue()) continue;
            String value = encode(id.getValue());
            return "identifier=" + (id.hasSystem() ? encode(id.getSystem()) + "|" + value : value);
        }
        return null;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
