package io.tessera.routes;

import io.tessera.dicomio.StoreScu;
import io.tessera.fhir.FhirPusher;

/** What destinations send with: the calling AE title and the DICOM and FHIR clients, shared by every destination. */
public final class Transport {
    private final String callingAeTitle;
    private final StoreScu scu = new StoreScu();
    private final FhirPusher fhir = new FhirPusher();

    public Transport(String callingAeTitle) {
        this.callingAeTitle = callingAeTitle;
    }

    String callingAeTitle() {
        return callingAeTitle;
    }

    StoreScu scu() {
        return scu;
    }

    FhirPusher fhir() {
        return fhir;
    }
}
