package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.config.FhirAuthConfig;
import io.tessera.fhir.FhirPusher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An external FHIR R4 server ({@code type: fhir}): it takes a job's results as the transaction Bundle the job runner
 * wrote, pushed to {@code url} with the configured {@code auth}; it takes no images. Nothing to probe.
 */
record FhirDestination(DestinationConfig config) implements Destination {
    @Override
    public boolean takesImages() {
        return false;
    }

    @Override
    public String auditTarget() {
        return config.url();
    }

    /** Pushes a transaction Bundle (written by the job runner). */
    @Override
    public void send(Transport via, String studyUid, String sopInstanceUid, Path bundle) throws Deliverer.DeliveryException {
        String json;
        try {
            json = Files.readString(bundle);
        } catch (IOException e) {
            throw new Deliverer.DeliveryException("TSR-0708: cannot read the FHIR bundle " + bundle + " for destination '"
                    + config.name() + "': " + e, e, false);
        }
        FhirAuthConfig a = config.auth();
        FhirPusher.Auth auth = a == null ? null : new FhirPusher.Auth(a.type(), a.token(), a.username(), a.password());
        try {
            via.fhir().push(config.url(), auth, config.timeoutOrDefault(), json);
        } catch (FhirPusher.PushException e) {
            FailureClass c = e.status() == FhirPusher.PushException.NO_STATUS ? FailureClass.RETRYABLE : FailureClass.ofHttp(e.status());
            throw new Deliverer.DeliveryException("TSR-0709: FHIR destination '" + config.name() + "' did not take the results ["
                    + c.name().toLowerCase(java.util.Locale.ROOT) + "]: " + e.getMessage(), e, c != FailureClass.PERMANENT);
        }
    }
}
