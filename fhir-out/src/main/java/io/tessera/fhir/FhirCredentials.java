package io.tessera.fhir;

import java.time.Duration;

/**
 * What {@link FhirPusher} puts in the Authorization header of a push. Fixed credentials (bearer, basic) are the same
 * every time; an OAuth client ({@link SmartBackendClient}) hands out its current access token, and when the server
 * answers 401 to it, is told so and asked once more for a fresh one.
 */
public interface FhirCredentials {
    /** The Authorization header value; {@code timeout} bounds any request made to get it. */
    String header(Duration timeout) throws FhirPusher.PushException;

    /** True when a 401 may be cured by asking {@link #header} again (a renewed token). */
    default boolean renewable() {
        return false;
    }

    /** The server refused {@code header} with 401: do not hand it out again. */
    default void rejected(String header) {
    }
}
