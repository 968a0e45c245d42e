package io.tessera.routes.reports;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpConstants;

/**
 * The HL7 report intake: an MLLP listener on {@code bindAddress:port} whose every message is answered by
 * {@link Hl7ReportHandler} with its ACK (the route only wires; the handler never throws, so a malformed message never
 * stops the listener). {@code autoAck} is off so the ACK always says what happened to the report, not merely that
 * bytes arrived.
 */
public final class Hl7Route extends RouteBuilder {
    public static final String ROUTE_ID = "hl7-report-intake";
    private final Hl7ReportHandler handler;
    private final String bindAddress;
    private final int port;

    public Hl7Route(Hl7ReportHandler handler, String bindAddress, int port) {
        this.handler = handler;
        this.bindAddress = bindAddress;
        this.port = port;
    }

    /** The endpoint URI; the host part is the address the consumer binds to. */
    public String uri() {
        return "mllp://" + bindAddress + ":" + port + "?autoAck=false&validatePayload=false&stringPayload=true"
                + "&requireEndOfData=false&maxConcurrentConsumers=8";
    }

    @Override
    public void configure() {
        from(uri()).routeId(ROUTE_ID)
                .process(e -> e.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_STRING, handler.handle(e.getIn().getBody(String.class))));
    }
}
