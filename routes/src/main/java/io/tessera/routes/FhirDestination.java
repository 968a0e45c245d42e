package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import io.tessera.config.FhirAuthConfig;
import io.tessera.fhir.FhirCredentials;
import io.tessera.fhir.FhirPusher;
import io.tessera.fhir.SmartBackendClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * An external FHIR R4 server ({@code type: fhir}): it takes a job's results as the transaction Bundle the job runner
 * wrote, pushed to {@code url} with the configured {@code auth}; it takes no images. Nothing to probe. The credentials
 * are made once per destination, so a {@code smart-backend} access token is shared by its pushes until it is renewed.
 */
record FhirDestination(DestinationConfig config, FhirCredentials credentials) implements Destination {

    /** A destination with credentials made from {@code config.auth()}; a smart-backend key is read now, so a bad one stops the start. */
    static FhirDestination of(DestinationConfig config) {
        return new FhirDestination(config, credentials(config.auth()));
    }

    private static FhirCredentials credentials(FhirAuthConfig a) {
        if (a == null) return null;
        if ("smart-backend".equals(a.type())) {
            return new SmartBackendClient(a.tokenEndpoint(), a.clientId(), Path.of(a.privateKeyFile()), a.keyId(), a.scope(),
                    Clock.systemUTC());
        }
        return new FhirPusher.Auth(a.type(), a.token(), a.username(), a.password());
    }

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
        try {
            via.fhir().push(config.url(), credentials, config.timeoutOrDefault(), json);
        } catch (FhirPusher.PushException e) {
            FailureClass c = e.status() == FhirPusher.PushException.NO_STATUS ? FailureClass.RETRYABLE : FailureClass.ofHttp(e.status());
            throw new Deliverer.DeliveryException("TSR-0709: FHIR destination '" + config.name() + "' did not take the results ["
                    + c.name().toLowerCase(java.util.Locale.ROOT) + "]: " + e.getMessage(), e, c != FailureClass.PERMANENT);
        }
    }
}
