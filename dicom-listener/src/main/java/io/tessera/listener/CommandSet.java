package io.tessera.listener;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A DIMSE command set (PS3.7 §9.3, §E): group 0000 elements in implicit VR little endian. Only the fields the
 * C-STORE and C-ECHO SCP needs are kept; the response command sets are written here too. Parsing is bounded by the
 * bytes received and never allocates a length it read.
 */
record CommandSet(int commandField, int messageId, int dataSetType, String affectedSopClassUid,
                  String affectedSopInstanceUid) {
    static final int C_STORE_RQ = 0x0001;
    static final int C_STORE_RSP = 0x8001;
    static final int C_ECHO_RQ = 0x0030;
    static final int C_ECHO_RSP = 0x8030;
    /** Command Data Set Type (0000,0800) meaning "no data set follows". */
    static final int NO_DATA_SET = 0x0101;

    private static final int AFFECTED_SOP_CLASS = 0x0002;
    private static final int COMMAND_FIELD = 0x0100;
    private static final int MESSAGE_ID = 0x0110;
    private static final int MESSAGE_ID_RESPONDED_TO = 0x0120;
    private static final int DATA_SET_TYPE = 0x0800;
    private static final int STATUS = 0x0900;
    private static final int AFFECTED_SOP_INSTANCE = 0x1000;

    /** A command set that cannot be read; the association is aborted (TSR-0213). */
    static final class MalformedCommandException extends Exception {
        MalformedCommandException(String message) {
            super(message);
        }
    }

    boolean hasDataSet() {
        return dataSetType != NO_DATA_SET;
    }

    /** Parses a whole command set; elements other than the ones kept are skipped. */
    static CommandSet parse(byte[] bytes, int length) throws MalformedCommandException {
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
        int commandField = -1;
        int messageId = -1;
        int dataSetType = NO_DATA_SET;
        String sopClass = "";
        String sopInstance = "";
        while (b.hasRemaining()) {
            if (b.remaining() < 8) {
                throw new MalformedCommandException("TSR-0213: command set ends inside an element header");
            }
            int group = b.getShort() & 0xffff;
            int element = b.getShort() & 0xffff;
            long valueLength = b.getInt() & 0xffffffffL;
            if (group != 0x0000) {
                throw new MalformedCommandException(String.format(
                        "TSR-0213: element (%04x,%04x) in a command set (only group 0000 is allowed)", group, element));
            }
            if (valueLength > b.remaining()) {
                throw new MalformedCommandException(String.format(
                        "TSR-0213: element (0000,%04x) of %d bytes overruns the command set", element, valueLength));
            }
            int at = b.position();
            int len = (int) valueLength;
            switch (element) {
                case AFFECTED_SOP_CLASS -> sopClass = string(bytes, at, len);
                case AFFECTED_SOP_INSTANCE -> sopInstance = string(bytes, at, len);
                case COMMAND_FIELD -> commandField = us(b, at, len, element);
                case MESSAGE_ID -> messageId = us(b, at, len, element);
                case DATA_SET_TYPE -> dataSetType = us(b, at, len, element);
                default -> { }
            }
            b.position(at + len);
        }
        if (commandField < 0) {
            throw new MalformedCommandException("TSR-0213: command set without Command Field (0000,0100)");
        }
        return new CommandSet(commandField, Math.max(messageId, 0), dataSetType, sopClass, sopInstance);
    }

    private static int us(ByteBuffer b, int at, int len, int element) throws MalformedCommandException {
        if (len != 2) {
            throw new MalformedCommandException(String.format("TSR-0213: (0000,%04x) is %d bytes, not 2 (US)", element, len));
        }
        return b.getShort(at) & 0xffff;
    }

    /** UI values are padded with NUL (or, from some senders, a space) to even length. */
    private static String string(byte[] bytes, int at, int len) {
        int end = at + len;
        while (end > at && (bytes[end - 1] == 0 || bytes[end - 1] == ' ')) {
            end--;
        }
        int start = at;
        while (start < end && bytes[start] == ' ') {
            start++;
        }
        return new String(bytes, start, end - start, StandardCharsets.US_ASCII);
    }

    /** C-STORE-RSP (PS3.7 Table 9.3-2). */
    static byte[] storeResponse(String sopClass, String sopInstance, int messageId, int status) {
        return response(C_STORE_RSP, sopClass, sopInstance, messageId, status);
    }

    /** C-ECHO-RSP (PS3.7 Table 9.3-13). */
    static byte[] echoResponse(String sopClass, int messageId, int status) {
        return response(C_ECHO_RSP, sopClass, null, messageId, status);
    }

    private static byte[] response(int commandField, String sopClass, String sopInstance, int messageId, int status) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(160);
        uid(body, AFFECTED_SOP_CLASS, sopClass);
        us(body, COMMAND_FIELD, commandField);
        us(body, MESSAGE_ID_RESPONDED_TO, messageId);
        us(body, DATA_SET_TYPE, NO_DATA_SET);
        us(body, STATUS, status);
        if (sopInstance != null) {
            uid(body, AFFECTED_SOP_INSTANCE, sopInstance);
        }
        ByteBuffer out = ByteBuffer.allocate(12 + body.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putShort((short) 0).putShort((short) 0).putInt(4).putInt(body.size()); // (0000,0000) Command Group Length
        out.put(body.toByteArray());
        return out.array();
    }

    private static void header(ByteArrayOutputStream to, int element, int length) {
        ByteBuffer h = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        h.putShort((short) 0).putShort((short) element).putInt(length);
        to.writeBytes(h.array());
    }

    private static void us(ByteArrayOutputStream to, int element, int value) {
        header(to, element, 2);
        to.write(value & 0xff);
        to.write((value >> 8) & 0xff);
    }

    private static void uid(ByteArrayOutputStream to, int element, String uid) {
        byte[] v = (uid == null ? "" : uid).getBytes(StandardCharsets.US_ASCII);
        int padded = v.length + (v.length & 1);
        header(to, element, padded);
        to.writeBytes(v);
        if (padded != v.length) {
            to.write(0);
        }
    }
}
