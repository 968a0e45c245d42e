package io.tessera.fhir;

import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Relative {@code Type/id} references, as served by Tessera's own endpoint and resolvable inside a Bundle. */
final class References {
    private References() {}

    static Reference to(Resource r) {
        return new Reference(r.fhirType() + "/" + r.getIdElement().getIdPart());
    }
}
