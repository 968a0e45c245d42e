package io.tessera.routes.reports;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpConfiguration;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.MllpSocketBuffer;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel's MLLP server endpoint with a front door: a connection from an address not in {@code hl7.allowedSenders}, or
 * one over {@code hl7.maxConnectionsPerAddress} from its address, is closed as soon as it is accepted (before a byte is
 * read). Camel's own maximum of concurrent connections ({@code maxConcurrentConsumers}) still applies to all. Each
 * accepted connection reads through {@link FrameLimitedSocket}, which resets it once a frame passes
 * {@code hl7.maxFrameBytes}. With {@code hl7.tls} the admitted connection becomes a TLS server socket first
 * ({@link MllpTls}), and the frame limit, idle timeout and caps apply to what it decrypts.
 *
 * <p>Accepted connections skip Camel's "validation" read and go straight to a connection consumer: that read buffers
 * the first frame outside the consumer, so a frame over the maximum buffer size raised there left the socket open and
 * unread, and it logs what it read.
 */
final class GuardedMllpEndpoint extends MllpEndpoint {
    private static final Logger log = LoggerFactory.getLogger(Hl7Route.class);
    private final Hl7Senders senders;
    private final int maxPerAddress;
    private final int maxFrameBytes;
    private final MllpTls tls;

    /** {@code tls}: null for plain MLLP. */
    GuardedMllpEndpoint(String uri, MllpComponent component, MllpConfiguration configuration, Hl7Senders senders, int maxPerAddress,
                        int maxFrameBytes, MllpTls tls) {
        super(uri, component, configuration);
        this.senders = senders;
        this.maxPerAddress = maxPerAddress;
        this.maxFrameBytes = maxFrameBytes;
        this.tls = tls;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new GuardedConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    private final class GuardedConsumer extends MllpTcpServerConsumer {
        GuardedConsumer(MllpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        /** Called on the accept thread for each new connection, one at a time. */
        @Override
        public void validateConsumer(Socket socket) {
            InetAddress from = socket.getInetAddress();
            String who = from == null ? "?" : from.getHostAddress();
            if (!senders.addressAllowed(from)) {
                log.warn("HL7 connection from {} closed: TSR-0867: address not in hl7.allowedSenders", who);
                reset(socket);
                return;
            }
            long open = getConsumerRunnables().keySet().stream()
                    .map(TcpSocketConsumerRunnable::getSocket)
                    .filter(s -> s != null && !s.isClosed() && from != null && from.equals(s.getInetAddress()))
                    .count();
            if (open >= maxPerAddress) {
                log.warn("HL7 connection from {} closed: TSR-0868: {} connections from that address already open"
                        + " (hl7.maxConnectionsPerAddress)", who, open);
                reset(socket);
                return;
            }
            Socket limited;
            try {
                limited = new FrameLimitedSocket(tls == null ? socket : tls.wrap(socket), maxFrameBytes);
            } catch (IOException e) {
                reset(socket);
                return;
            }
            startConsumer(limited, new MllpSocketBuffer(getEndpoint()));
        }

        private void reset(Socket socket) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                log.debug("closing a refused HL7 connection: {}", e.toString());
            }
        }
    }
}
