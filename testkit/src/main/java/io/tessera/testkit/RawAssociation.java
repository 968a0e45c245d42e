package io.tessera.testkit;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.CStoreRequestCommandMessage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A hand-written SCU speaking raw PDUs, so a test can send what no well-behaved toolkit would: truncated data sets,
 * garbage, PDUs longer than announced, half a PDU, the first part of an instance and then nothing. Command sets come from PixelMed's {@link CStoreRequestCommandMessage}.
 */
public final class RawAssociation implements AutoCloseable {
    public static final byte PC = 1;
    public static final int A_ASSOCIATE_AC = 0x02;
    public static final int P_DATA_TF = 0x04;
    public static final int A_ABORT = 0x07;

    /** A PDU as received. */
    public record Pdu(int type, byte[] body) {}

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawAssociation(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(10_000);
        this.socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawAssociation connect(int port) throws IOException {
        return new RawAssociation(new Socket("127.0.0.1", port));
    }

    /** From another loopback address (e.g. 127.0.0.2), which the listener sees as another source. */
    public static RawAssociation connectFrom(String localAddress, int port) throws IOException {
        return new RawAssociation(new Socket(java.net.InetAddress.getByName("127.0.0.1"), port,
                java.net.InetAddress.getByName(localAddress), 0));
    }

    /** Sends an A-ASSOCIATE-RQ with one presentation context and returns the answer (AC, RJ or abort). */
    public Pdu associate(String calledAe, String callingAe, String abstractSyntax, String transferSyntax) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(new byte[] {0x00, 0x01, 0x00, 0x00});
        body.write(ae(calledAe));
        body.write(ae(callingAe));
        body.write(new byte[32]);
        item(body, 0x10, "1.2.840.10008.3.1.1.1".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream pc = new ByteArrayOutputStream();
        pc.write(new byte[] {PC, 0, 0, 0});
        item(pc, 0x30, uid(abstractSyntax));
        item(pc, 0x40, uid(transferSyntax));
        item(body, 0x20, pc.toByteArray());
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        item(user, 0x51, ByteBuffer.allocate(4).putInt(16384).array());
        item(user, 0x52, uid("1.2.826.0.1.3680043.10.1234.99"));
        item(body, 0x50, user.toByteArray());
        sendPdu(0x01, body.toByteArray());
        return readPdu();
    }

    /** The result byte of our presentation context in an A-ASSOCIATE-AC (0 = accepted). */
    public static int contextResult(Pdu ac) {
        ByteBuffer b = ByteBuffer.wrap(ac.body());
        b.position(68);
        while (b.remaining() >= 4) {
            int type = b.get() & 0xff;
            b.get();
            int len = b.getShort() & 0xffff;
            if (type == 0x21) {
                return b.get(b.position() + 2) & 0xff;
            }
            b.position(b.position() + len);
        }
        throw new AssertionError("no presentation context in the A-ASSOCIATE-AC");
    }

    public static byte[] storeCommand(String sopClass, String sopInstance) throws Exception {
        return new CStoreRequestCommandMessage(sopClass, sopInstance).getBytes();
    }

    /** One P-DATA-TF carrying one PDV. */
    public void sendPdv(boolean command, boolean last, byte[] value) throws IOException {
        ByteBuffer pdu = ByteBuffer.allocate(6 + value.length);
        pdu.putInt(2 + value.length).put(PC).put((byte) ((command ? 1 : 0) | (last ? 2 : 0))).put(value);
        sendPdu(P_DATA_TF, pdu.array());
    }

    /** A C-STORE-RQ: the command, then the data set in PDVs of at most 16 000 bytes. */
    public void store(byte[] command, byte[] dataSet) throws IOException {
        sendPdv(true, true, command);
        int chunk = 16_000;
        for (int off = 0; off < dataSet.length || off == 0; off += chunk) {
            int n = Math.min(chunk, dataSet.length - off);
            byte[] part = new byte[n];
            System.arraycopy(dataSet, off, part, 0, n);
            sendPdv(false, off + n >= dataSet.length, part);
            if (dataSet.length == 0) {
                break;
            }
        }
    }

    public void sendPdu(int type, byte[] body) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(6).put((byte) type).put((byte) 0).putInt(body.length);
        out.write(head.array());
        out.write(body);
        out.flush();
    }

    /** Raw bytes, e.g. a PDU header that announces more than follows. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public Pdu readPdu() throws IOException {
        int type = in.readUnsignedByte();
        in.readUnsignedByte();
        int len = in.readInt();
        byte[] body = new byte[len];
        in.readFully(body);
        return new Pdu(type, body);
    }

    /** Reads P-DATA-TF PDUs until a complete command arrives and returns its Status (0000,0900). */
    public int readStatus() throws Exception {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        while (true) {
            Pdu pdu = readPdu();
            if (pdu.type() != P_DATA_TF) {
                throw new AssertionError("expected P-DATA-TF with the response, got PDU type " + pdu.type());
            }
            ByteBuffer b = ByteBuffer.wrap(pdu.body());
            boolean last = false;
            while (b.remaining() > 0) {
                int len = b.getInt();
                b.get();
                int control = b.get() & 0xff;
                byte[] value = new byte[len - 2];
                b.get(value);
                if ((control & 1) != 0) {
                    command.write(value);
                    last = (control & 2) != 0;
                }
            }
            if (last) {
                AttributeList list = new AttributeList();
                list.read(new DicomInputStream(new ByteArrayInputStream(command.toByteArray()),
                        TransferSyntax.ImplicitVRLittleEndian, false));
                return Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, -1);
            }
        }
    }

    /** True when the peer closed the connection (after an A-ABORT, if any) within the socket timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            while (true) {
                readPdu();
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    public void release() throws IOException {
        sendPdu(0x05, new byte[4]);
        readPdu();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] ae(String title) {
        return String.format("%-16s", title).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] uid(String uid) {
        return uid.getBytes(StandardCharsets.US_ASCII);
    }

    private static void item(ByteArrayOutputStream to, int type, byte[] value) {
        to.write(type);
        to.write(0);
        to.write(value.length >> 8);
        to.write(value.length & 0xff);
        to.writeBytes(value);
    }
}
