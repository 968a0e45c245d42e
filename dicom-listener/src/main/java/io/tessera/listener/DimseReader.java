package io.tessera.listener;

import io.tessera.listener.UpperLayer.ProtocolViolation;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Reads P-DATA-TF PDUs (PS3.8 §9.3.5) and reassembles one DIMSE request at a time: the command set, and for a
 * C-STORE-RQ its data set. Each data PDV value is read from the socket straight into an array of its own length (the
 * only copy before the spool writes it), so a data set is held as the list of its fragments. A data set beyond
 * {@code maxDataBytes} is drained and dropped, so a huge instance cannot exhaust the heap.
 *
 * <p>Every length read is checked before it is used: a P-DATA-TF longer than the maximum we announced, a PDV that
 * overruns its PDU, or an unexpected PDU is a {@link ProtocolViolation}. A-RELEASE-RQ is answered here.
 */
final class DimseReader {
    /** A command set is a few hundred bytes; this bound keeps a broken one from growing without limit. */
    static final int MAX_COMMAND_BYTES = 64 << 10;

    /** One request: its command, and the data set's fragments (empty unless a C-STORE-RQ). */
    record Request(byte presentationContextId, CommandSet command, List<byte[]> data, long dataLength, boolean oversized,
                   InstanceHeader early, InstanceStream stream) {}

    /** Reads a data set's header from its first fragments; null if they do not hold it (yet). */
    interface EarlyHeader {
        InstanceHeader read(int presentationContextId, List<byte[]> firstFragments);
    }

    /** Beyond this many data bytes without a header the early read is not tried again (the full parse will do). */
    private static final long EARLY_HEADER_LIMIT = 256 << 10;

    private final DataInputStream in;
    private final OutputStream out;
    private final long maxPData;
    private final long maxDataBytes;
    private final IntPredicate acceptedContext;
    private final EarlyHeader earlyHeader;
    private final Runnable beforeReleaseResponse;
    private final java.util.function.Supplier<InstanceStream> streams;
    private long pduLeft;
    private byte[] command = new byte[512];

    /**
     * @param maxPData        the maximum PDU length we announced
     * @param maxDataBytes    largest data set kept
     * @param acceptedContext whether a presentation context ID was accepted at negotiation
     * @param earlyHeader     reads the header while the rest of the data set is still on its way (the receiving thread
     *                        would otherwise wait for the socket), so it is off the acknowledgement's path
     * @param beforeReleaseResponse runs when A-RELEASE-RQ arrives, before A-RELEASE-RP is sent
     */
    DimseReader(DataInputStream in, OutputStream out, long maxPData, long maxDataBytes, IntPredicate acceptedContext,
                EarlyHeader earlyHeader, Runnable beforeReleaseResponse) {
        this(in, out, maxPData, maxDataBytes, acceptedContext, earlyHeader, beforeReleaseResponse, () -> null);
    }

    /**
     * @param streams a C-STORE's data set fragments go to a new stream from here as they arrive (null: none), so the
     *                log is written while the rest is still on the wire
     */
    DimseReader(DataInputStream in, OutputStream out, long maxPData, long maxDataBytes, IntPredicate acceptedContext,
                EarlyHeader earlyHeader, Runnable beforeReleaseResponse, java.util.function.Supplier<InstanceStream> streams) {
        this.streams = streams;
        this.earlyHeader = earlyHeader;
        this.beforeReleaseResponse = beforeReleaseResponse;
        this.in = in;
        this.out = out;
        this.maxPData = maxPData;
        this.maxDataBytes = maxDataBytes;
        this.acceptedContext = acceptedContext;
    }

    /**
     * @throws UpperLayer.Released     the peer released the association (answered)
     * @throws UpperLayer.PeerAborted  the peer aborted
     * @throws ProtocolViolation       the caller must abort
     * @throws java.io.EOFException    the peer vanished
     */
    Request next() throws IOException {
        int commandLength = 0;
        CommandSet cmd = null;
        int pc = -1;
        List<byte[]> data = new ArrayList<>();
        long dataLength = 0;
        boolean oversized = false;
        InstanceHeader early = null;
        InstanceStream stream = null;
        while (true) {
            if (pduLeft == 0) {
                nextPData();
            }
            if (pduLeft < 6) {
                throw violation("TSR-0213: P-DATA-TF ends inside a PDV header");
            }
            long itemLength = in.readInt() & 0xffffffffL;
            int id = in.readUnsignedByte();
            int control = in.readUnsignedByte();
            pduLeft -= 6;
            if (itemLength < 2 || itemLength - 2 > pduLeft) {
                throw violation("TSR-0213: PDV of " + itemLength + " bytes overruns its P-DATA-TF");
            }
            int valueLength = (int) (itemLength - 2);
            pduLeft -= valueLength;
            boolean isCommand = (control & 0x01) != 0;
            boolean last = (control & 0x02) != 0;
            if (pc >= 0 && id != pc) {
                throw violation("TSR-0213: fragment on presentation context " + id + " inside a message on " + pc);
            }
            pc = id;
            if (cmd == null) {
                if (!isCommand) {
                    throw violation("TSR-0213: data set fragment before a complete DIMSE command");
                }
                if (!acceptedContext.test(id)) {
                    throw violation("TSR-0219: request on presentation context " + id + ", which was not accepted");
                }
                if (commandLength + valueLength > MAX_COMMAND_BYTES) {
                    throw violation("TSR-0213: command set longer than " + MAX_COMMAND_BYTES + " bytes");
                }
                if (commandLength + valueLength > command.length) {
                    command = Arrays.copyOf(command, Math.max(command.length * 2, commandLength + valueLength));
                }
                in.readFully(command, commandLength, valueLength);
                commandLength += valueLength;
                if (last) {
                    try {
                        cmd = CommandSet.parse(command, commandLength);
                    } catch (CommandSet.MalformedCommandException e) {
                        throw violation(e.getMessage());
                    }
                    if (cmd.commandField() != CommandSet.C_STORE_RQ || !cmd.hasDataSet()) {
                        return new Request((byte) pc, cmd, List.of(), 0, false, null, null);
                    }
                    stream = streams.get();
                }
            } else {
                if (isCommand) {
                    throw violation("TSR-0213: command fragment where the data set was expected");
                }
                dataLength += valueLength;
                if (dataLength > maxDataBytes) {
                    oversized = true;
                    data.clear();
                    stream = null; // refused: its chunks are never committed
                    in.skipNBytes(valueLength);
                } else if (valueLength > 0) {
                    byte[] value = new byte[valueLength];
                    in.readFully(value);
                    data.add(value);
                    if (stream != null) {
                        stream.fragment(value);
                    }
                }
                if (last) {
                    return new Request((byte) pc, cmd, data, dataLength, oversized, early, stream);
                }
                if (early == null && !oversized && dataLength <= EARLY_HEADER_LIMIT) {
                    early = earlyHeader.read(pc, data);
                }
            }
        }
    }

    /** Reads PDU headers until a P-DATA-TF; answers release, reports abort, refuses anything else. */
    private void nextPData() throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            in.readUnsignedByte();
            long length = in.readInt() & 0xffffffffL;
            long max = type == UpperLayer.P_DATA_TF ? maxPData : Math.max(maxPData, UpperLayer.MAX_OTHER_PDU);
            if (length > max) {
                throw new ProtocolViolation(String.format("TSR-0218: PDU type 0x%02x of %d bytes exceeds the maximum %d we announced",
                        type, length, max), UpperLayer.ABORT_REASON_INVALID_PDU_PARAMETER, true);
            }
            switch (type) {
                case UpperLayer.P_DATA_TF -> {
                    if (length == 0) {
                        continue; // nothing in it; tolerated
                    }
                    pduLeft = length;
                    return;
                }
                case UpperLayer.A_RELEASE_RQ -> {
                    in.skipNBytes(length);
                    beforeReleaseResponse.run();
                    UpperLayer.releaseResponse(out);
                    throw new UpperLayer.Released();
                }
                case UpperLayer.A_ABORT -> {
                    byte[] body = in.readNBytes((int) length);
                    throw new UpperLayer.PeerAborted(body.length > 2 ? body[2] & 0xff : -1, body.length > 3 ? body[3] & 0xff : -1);
                }
                case UpperLayer.A_ASSOCIATE_RQ, UpperLayer.A_ASSOCIATE_AC, UpperLayer.A_ASSOCIATE_RJ, UpperLayer.A_RELEASE_RP ->
                        throw new ProtocolViolation(String.format("TSR-0213: unexpected PDU type 0x%02x in an established association", type),
                                UpperLayer.ABORT_REASON_UNEXPECTED_PDU, false);
                default -> throw new ProtocolViolation(String.format("TSR-0213: unrecognised PDU type 0x%02x", type),
                        UpperLayer.ABORT_REASON_UNRECOGNISED_PDU, false);
            }
        }
    }

    private static ProtocolViolation violation(String message) {
        return new ProtocolViolation(message, UpperLayer.ABORT_REASON_INVALID_PDU_PARAMETER, false);
    }
}
