package io.tessera.listener;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Sits between the socket and PixelMed and follows the PDU framing (type, reserved, 4-byte length). PixelMed allocates
 * each PDU's announced length before reading it, whatever we announced as our maximum: a P-DATA-TF longer than the
 * maximum PDU length we offered (or any other PDU over {@link #MAX_OTHER_PDU}) would cost that much heap, up to 4 GiB.
 * Such a PDU is answered with A-ABORT (service provider, invalid PDU parameter value) and the read fails, so the
 * association ends at once instead of allocating or hanging.
 */
final class PduLengthGuard extends FilterInputStream {
    /** A-ASSOCIATE-RQ/AC/RJ, release and abort PDUs are small; a generous bound for many presentation contexts. */
    static final long MAX_OTHER_PDU = 1 << 20;
    private static final int P_DATA_TF = 0x04;
    private static final byte[] A_ABORT_INVALID_PDU_PARAMETER = {0x07, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x02, 0x06};

    private final long maxPData;
    private final OutputStream abortTo;
    private final byte[] header = new byte[6];
    private int headerServed = 6;
    private long bodyLeft;
    private volatile String violation;

    /** @param maxPData the maximum PDU length we announced; @param abortTo where to send A-ABORT on a violation */
    PduLengthGuard(InputStream in, long maxPData, OutputStream abortTo) {
        super(in);
        this.maxPData = maxPData;
        this.abortTo = abortTo;
    }

    /** Why the guard stopped the stream (an oversized PDU), or null. */
    String violation() {
        return violation;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (violation != null) {
            throw new IOException(violation);
        }
        if (headerServed == header.length && bodyLeft == 0 && !nextHeader()) {
            return -1;
        }
        if (headerServed < header.length) {
            int n = Math.min(len, header.length - headerServed);
            System.arraycopy(header, headerServed, b, off, n);
            headerServed += n;
            return n;
        }
        int n = in.read(b, off, (int) Math.min(len, bodyLeft));
        if (n > 0) {
            bodyLeft -= n;
        }
        return n;
    }

    /** Reads and checks the next PDU header; false at a clean end of stream. */
    private boolean nextHeader() throws IOException {
        int got = in.readNBytes(header, 0, header.length);
        if (got == 0) {
            return false;
        }
        if (got < header.length) {
            // let the reader see the short header and fail the way it fails on any early end of stream
            System.arraycopy(header, 0, header, header.length - got, got);
            headerServed = header.length - got;
            bodyLeft = 0;
            return true;
        }
        int type = header[0] & 0xff;
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xffL) << 16) | ((header[4] & 0xffL) << 8) | (header[5] & 0xffL);
        long max = type == P_DATA_TF ? maxPData : Math.max(maxPData, MAX_OTHER_PDU);
        if (length > max) {
            violation = String.format("TSR-0218: PDU type 0x%02x of %d bytes exceeds the maximum %d we announced", type, length, max);
            try {
                abortTo.write(A_ABORT_INVALID_PDU_PARAMETER);
                abortTo.flush();
            } catch (IOException peerGone) {
                // the connection is being dropped anyway
            }
            throw new IOException(violation);
        }
        headerServed = 0;
        bodyLeft = length;
        return true;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int r = read(sink, 0, sink.length);
        return Math.max(r, 0);
    }

    @Override
    public int available() throws IOException {
        if (headerServed < header.length) {
            return header.length - headerServed;
        }
        return (int) Math.min(in.available(), bodyLeft);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
