package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.CEchoRequestCommandMessage;
import com.pixelmed.network.CStoreRequestCommandMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class CommandSetTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @Test
    void reads_a_c_store_request_written_by_another_toolkit() throws Exception {
        byte[] rq = new CStoreRequestCommandMessage(CT, "1.2.3.4.5").getBytes();
        CommandSet c = CommandSet.parse(rq, rq.length);
        assertEquals(CommandSet.C_STORE_RQ, c.commandField());
        assertEquals(CT, c.affectedSopClassUid());
        assertEquals("1.2.3.4.5", c.affectedSopInstanceUid());
        assertTrue(c.hasDataSet());
    }

    @Test
    void reads_a_c_echo_request_without_a_data_set() throws Exception {
        byte[] rq = new CEchoRequestCommandMessage().getBytes();
        CommandSet c = CommandSet.parse(rq, rq.length);
        assertEquals(CommandSet.C_ECHO_RQ, c.commandField());
        assertFalse(c.hasDataSet());
    }

    @Test
    void writes_responses_another_toolkit_reads() throws Exception {
        AttributeList store = read(CommandSet.storeResponse(CT, "1.2.3.4.5", 77, 0xA700));
        assertEquals(0x8001, Attribute.getSingleIntegerValueOrDefault(store, TagFromName.CommandField, -1));
        assertEquals(77, Attribute.getSingleIntegerValueOrDefault(store, TagFromName.MessageIDBeingRespondedTo, -1));
        assertEquals(0xA700, Attribute.getSingleIntegerValueOrDefault(store, TagFromName.Status, -1));
        assertEquals(0x0101, Attribute.getSingleIntegerValueOrDefault(store, TagFromName.CommandDataSetType, -1));
        assertEquals("1.2.3.4.5", Attribute.getSingleStringValueOrEmptyString(store, TagFromName.AffectedSOPInstanceUID));
        assertEquals(CT, Attribute.getSingleStringValueOrEmptyString(store, TagFromName.AffectedSOPClassUID));
        AttributeList echo = read(CommandSet.echoResponse("1.2.840.10008.1.1", 3, 0));
        assertEquals(0x8030, Attribute.getSingleIntegerValueOrDefault(echo, TagFromName.CommandField, -1));
        assertNull(echo.get(TagFromName.AffectedSOPInstanceUID));
        byte[] rsp = CommandSet.echoResponse("1.2.840.10008.1.1", 3, 0);
        assertEquals(rsp.length - 12, ByteBuffer.wrap(rsp, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), "group length");
    }

    @Test
    void refuses_broken_command_sets_with_a_stable_code() throws Exception {
        byte[] rq = new CStoreRequestCommandMessage(CT, "1.2.3.4.5").getBytes();
        // cut inside an element header, and inside a value
        assertMalformed(rq, 13);
        assertMalformed(rq, rq.length - 3);
        // a value length beyond the bytes there
        byte[] overrun = rq.clone();
        ByteBuffer.wrap(overrun).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0x7FFFFFF0);
        assertMalformed(overrun, overrun.length);
        // an element outside group 0000
        byte[] group8 = {0x08, 0x00, 0x16, 0x00, 2, 0, 0, 0, '1', 0};
        assertMalformed(group8, group8.length);
        // Command Field missing, or not two bytes
        byte[] noField = {0x00, 0x00, 0x10, 0x01, 2, 0, 0, 0, 1, 0};
        assertMalformed(noField, noField.length);
        byte[] wideField = {0x00, 0x00, 0x00, 0x01, 4, 0, 0, 0, 1, 0, 0, 0};
        assertMalformed(wideField, wideField.length);
    }

    private static void assertMalformed(byte[] bytes, int length) {
        CommandSet.MalformedCommandException e = assertThrows(CommandSet.MalformedCommandException.class,
                () -> CommandSet.parse(Arrays.copyOf(bytes, length), length));
        assertTrue(e.getMessage().startsWith("TSR-0213"), e.getMessage());
    }

    private static AttributeList read(byte[] command) throws Exception {
        AttributeList list = new AttributeList();
        list.read(new DicomInputStream(new ByteArrayInputStream(command), TransferSyntax.ImplicitVRLittleEndian, false));
        return list;
    }
}
