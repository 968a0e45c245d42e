package io.tessera.fhir;

import ca.uhn.fhir.context.FhirContext;

/** The one R4 {@link FhirContext} of this JVM: building one scans the model classes and costs seconds, and it is thread-safe. */
public final class FhirContexts {
    private static final FhirContext R4 = FhirContext.forR4Cached();

    private FhirContexts() {}

    public static FhirContext r4() {
        return R4;
    }
}
