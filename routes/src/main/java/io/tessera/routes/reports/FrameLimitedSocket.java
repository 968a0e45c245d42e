package io.tessera.routes.reports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An accepted MLLP connection whose input is cut off once more than {@code maxFrameBytes} arrive without an end block
 * (FS): the socket is reset there and the reader gets an {@link IOException}, so nothing past the limit is buffered.
 * Camel's own {@code maxBufferSize} is not enforced on the path that reads a frame. Everything else is the accepted
 * socket's.
 */
final class FrameLimitedSocket extends Socket {
    private static final Logger log = LoggerFactory.getLogger(Hl7Route.class);
    private static final int FS = 0x1c;
    private final Socket s;
    private final long maxFrameBytes;
    private final InputStream in;

    FrameLimitedSocket(Socket accepted, int maxFrameBytes) throws IOException {
        this.s = accepted;
        this.maxFrameBytes = maxFrameBytes + 2L; // VT and the byte after FS belong to no frame's content
        this.in = new Limited(accepted.getInputStream());
    }

    private final class Limited extends FilterInputStream {
        private long sinceEnd;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n;
            try {
                n = super.read(buf, off, len);
            } catch (SSLException e) {
                tlsFailed(e);
                throw e;
            }
            if (n > 0) count(buf, off, n);
            return n;
        }

        /** A TLS connection that fails (a clear-text peer, no or an untrusted client certificate) is closed unanswered. */
        private void tlsFailed(SSLException e) {
            log.warn("HL7 connection from {} closed: TSR-0722: TLS failed ({})",
                    s.getInetAddress() == null ? "?" : s.getInetAddress().getHostAddress(), e.getMessage());
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        private void count(byte[] buf, int off, int n) throws IOException {
            for (int i = off; i < off + n; i++) {
                if (buf[i] == FS) {
                    sinceEnd = 0;
                } else if (++sinceEnd > maxFrameBytes) {
                    cutOff();
                    throw new IOException("TSR-0869: MLLP frame over hl7.maxFrameBytes (" + (maxFrameBytes - 2)
                            + " bytes); connection reset");
                }
            }
        }

        private void cutOff() {
            log.warn("HL7 connection from {} reset: TSR-0869: MLLP frame over hl7.maxFrameBytes ({} bytes)",
                    s.getInetAddress() == null ? "?" : s.getInetAddress().getHostAddress(), maxFrameBytes - 2);
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    @Override public InputStream getInputStream() throws IOException { return s.isClosed() ? s.getInputStream() : in; }
    @Override public OutputStream getOutputStream() throws IOException { return s.getOutputStream(); }
    @Override public void connect(SocketAddress endpoint) throws IOException { s.connect(endpoint); }
    @Override public void connect(SocketAddress endpoint, int timeout) throws IOException { s.connect(endpoint, timeout); }
    @Override public void bind(SocketAddress bindpoint) throws IOException { s.bind(bindpoint); }
    @Override public InetAddress getInetAddress() { return s.getInetAddress(); }
    @Override public InetAddress getLocalAddress() { return s.getLocalAddress(); }
    @Override public int getPort() { return s.getPort(); }
    @Override public int getLocalPort() { return s.getLocalPort(); }
    @Override public SocketAddress getRemoteSocketAddress() { return s.getRemoteSocketAddress(); }
    @Override public SocketAddress getLocalSocketAddress() { return s.getLocalSocketAddress(); }
    @Override public SocketChannel getChannel() { return null; } // reads must go through the limit
    @Override public void setTcpNoDelay(boolean on) throws SocketException { s.setTcpNoDelay(on); }
    @Override public boolean getTcpNoDelay() throws SocketException { return s.getTcpNoDelay(); }
    @Override public void setSoLinger(boolean on, int linger) throws SocketException { s.setSoLinger(on, linger); }
    @Override public int getSoLinger() throws SocketException { return s.getSoLinger(); }
    @Override public void sendUrgentData(int data) throws IOException { s.sendUrgentData(data); }
    @Override public void setOOBInline(boolean on) throws SocketException { s.setOOBInline(on); }
    @Override public boolean getOOBInline() throws SocketException { return s.getOOBInline(); }
    @Override public synchronized void setSoTimeout(int timeout) throws SocketException { s.setSoTimeout(timeout); }
    @Override public synchronized int getSoTimeout() throws SocketException { return s.getSoTimeout(); }
    @Override public synchronized void setSendBufferSize(int size) throws SocketException { s.setSendBufferSize(size); }
    @Override public synchronized int getSendBufferSize() throws SocketException { return s.getSendBufferSize(); }
    @Override public synchronized void setReceiveBufferSize(int size) throws SocketException { s.setReceiveBufferSize(size); }
    @Override public synchronized int getReceiveBufferSize() throws SocketException { return s.getReceiveBufferSize(); }
    @Override public void setKeepAlive(boolean on) throws SocketException { s.setKeepAlive(on); }
    @Override public boolean getKeepAlive() throws SocketException { return s.getKeepAlive(); }
    @Override public void setTrafficClass(int tc) throws SocketException { s.setTrafficClass(tc); }
    @Override public int getTrafficClass() throws SocketException { return s.getTrafficClass(); }
    @Override public void setReuseAddress(boolean on) throws SocketException { s.setReuseAddress(on); }
    @Override public boolean getReuseAddress() throws SocketException { return s.getReuseAddress(); }
    @Override public synchronized void close() throws IOException { s.close(); }
    @Override public void shutdownInput() throws IOException { s.shutdownInput(); }
    @Override public void shutdownOutput() throws IOException { s.shutdownOutput(); }
    @Override public String toString() { return s.toString(); }
    @Override public boolean isConnected() { return s.isConnected(); }
    @Override public boolean isBound() { return s.isBound(); }
    @Override public boolean isClosed() { return s.isClosed(); }
    @Override public boolean isInputShutdown() { return s.isInputShutdown(); }
    @Override public boolean isOutputShutdown() { return s.isOutputShutdown(); }
    @Override public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
        s.setPerformancePreferences(connectionTime, latency, bandwidth);
    }
    @Override public <T> Socket setOption(SocketOption<T> name, T value) throws IOException { s.setOption(name, value); return this; }
    @Override public <T> T getOption(SocketOption<T> name) throws IOException { return s.getOption(name); }
    @Override public Set<SocketOption<?>> supportedOptions() { return s.supportedOptions(); }
}
