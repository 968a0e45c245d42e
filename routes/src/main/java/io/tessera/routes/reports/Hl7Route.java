package io.tessera.routes.reports;

import io.tessera.config.Hl7Config;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.component.mllp.MllpIdleTimeoutStrategy;

/**
 * The HL7 report intake: an MLLP listener on {@code bindAddress:port} whose every message is answered by
 * {@link Hl7ReportHandler} with its ACK (the route only wires; the handler never throws, so a malformed message never
 * stops the listener). {@code autoAck} is off so the ACK always says what happened to the report, not merely that
 * bytes arrived.
 *
 * <p>The listener has a component of its own (not the context's {@code mllp}) with PHI logging off: Camel's MLLP
 * warnings (partial frames, out-of-band bytes, timeouts) otherwise write message content, patient names included, to
 * the log. Its limits come from {@link Hl7Config}: frames over {@code maxFrameBytes} are refused and the connection
 * reset (nothing past the limit is buffered), a connection idle for {@code idleTimeout} is closed, at most
 * {@code maxConnections} are open (and {@code maxConnectionsPerAddress} per source address, with the address
 * allow-list, in {@link GuardedMllpEndpoint}). With {@code hl7.tls} enabled the same port speaks MLLP over TLS only
 * ({@link MllpTls}): a clear-text peer fails the handshake and is closed without an answer (TSR-0722).
 */
public final class Hl7Route extends RouteBuilder {
    public static final String ROUTE_ID = "hl7-report-intake";
    /** Camel's time to wait for the rest of a started frame: a sender that stalls mid-frame longer is cut off. */
    static final int READ_TIMEOUT_MS = 5_000;
    private final Hl7ReportHandler handler;
    private final Hl7Config config;
    private final Hl7Senders senders;
    private final MllpTls tls;

    /**
     * A listener with {@code config}'s address, limits, allow-lists and TLS. The TLS stores are loaded here, so a bad
     * one fails the start (TSR-0721).
     */
    public Hl7Route(Hl7ReportHandler handler, Hl7Config config) {
        this.handler = handler;
        this.config = config;
        this.senders = new Hl7Senders(config.allowedSenders(), config.allowedApplications());
        this.tls = MllpTls.of(config.tls());
    }

    /** A listener with the default limits and no allow-lists. */
    public Hl7Route(Hl7ReportHandler handler, String bindAddress, int port) {
        this(handler, new Hl7Config(true, bindAddress, port, "OBR-3"));
    }

    /** The endpoint URI; the host part is the address the consumer binds to. */
    public String uri() {
        return "mllp://" + config.bindAddress() + ":" + config.port();
    }

    @Override
    public void configure() {
        MllpComponent component = new MllpComponent(getContext());
        component.setLogPhi(false);
        component.setLogPhiMaxBytes(0);
        MllpConfiguration c = new MllpConfiguration();
        c.setAutoAck(false);
        c.setValidatePayload(false);
        c.setStringPayload(true);
        c.setHl7Headers(false);
        c.setRequireEndOfData(false);
        c.setMaxConcurrentConsumers(config.maxConnections());
        c.setBacklog(Math.max(5, config.maxConnections()));
        // the frame, its VT/FS/CR and one read's worth of slack: Camel grows its buffer in reads of this size
        c.setMinBufferSize(Math.min(8192, config.maxFrameBytes()));
        c.setMaxBufferSize(config.maxFrameBytes() + 3);
        int idleMs = (int) Math.min(Integer.MAX_VALUE, config.idleTimeout().toMillis());
        c.setIdleTimeout(idleMs);
        c.setIdleTimeoutStrategy(MllpIdleTimeoutStrategy.CLOSE);
        // the idle time is checked whenever a wait for the next frame times out
        c.setReceiveTimeout(Math.min(idleMs, 15_000));
        c.setReadTimeout(READ_TIMEOUT_MS);
        GuardedMllpEndpoint endpoint = new GuardedMllpEndpoint(uri(), component, c, senders, config.maxConnectionsPerAddress(),
                config.maxFrameBytes(), tls);
        endpoint.setHostname(config.bindAddress());
        endpoint.setPort(config.port());
        endpoint.setCharsetName("ISO-8859-1");
        from(endpoint).routeId(ROUTE_ID)
                .process(e -> e.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_STRING, handler.handle(e.getIn().getBody(String.class))));
    }
}
