package io.tessera.routes;

import org.apache.camel.builder.RouteBuilder;

/**
 * Wiring only: a timer starts the {@link Outbox}'s per-destination workers (route {@code outbox}, the shared error
 * policy); the sends run on those workers, not on the timer thread.
 */
public final class OutboxRoute extends RouteBuilder {
    public static final String ROUTE_ID = "outbox";
    private final Outbox outbox;
    private final long periodMillis;

    public OutboxRoute(Outbox outbox, long periodMillis) {
        this.outbox = outbox;
        this.periodMillis = periodMillis;
    }

    @Override
    public void configure() {
        from("timer:outbox?period=" + periodMillis)
                .routeId(ROUTE_ID)
                .routeConfigurationId(ErrorPolicy.ID)
                .bean(outbox, "dispatch");
    }
}
