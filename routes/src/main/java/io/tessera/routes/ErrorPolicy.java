package io.tessera.routes;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * The one error policy of Tessera's routes. Study processing records its own failures in the index; what reaches
 * this policy is unexpected (a bug, the index gone) and is logged with a stable code while the route keeps running.
 */
public final class ErrorPolicy extends RouteConfigurationBuilder {
    public static final String ID = "tessera-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(Exception.class)
                .handled(true)
                .log(LoggingLevel.ERROR, "io.tessera.routes", "TSR-0502: route ${routeId} failed: ${exception.message}");
    }
}
