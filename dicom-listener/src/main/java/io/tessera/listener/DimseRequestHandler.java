package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects one DIMSE request (command, and for C-STORE its data set) from P-DATA PDUs, without storing anything:
 * the session stores durably and answers after {@link #isDone()}. Data fragments are kept as the arrays PixelMed
 * already allocated, so the data set is not copied again before it is written.
 *
 * <p>Extends {@code CompositeResponseHandler} only because it is the one PixelMed {@code ReceivedDataHandler}
 * with a public constructor; its response-evaluation logic is not used. Never throws: a broken command is
 * reported through {@link #malformed()} so the session decides what to do.
 */
final class DimseRequestHandler extends CompositeResponseHandler {
    static final int C_STORE_RQ = 0x0001;
    static final int C_ECHO_RQ = 0x0030;
    private static final int NO_DATA_SET = 0x0101;

    private final ByteArrayOutputStream command = new ByteArrayOutputStream(256);
    private final List<byte[]> data = new ArrayList<>();
    private long dataLength;
    private AttributeList commandList;
    private int commandField = -1;
    private byte presentationContextId;
    private String malformed;
    private final long maxDataBytes;
    private boolean oversized;

    /** @param maxDataBytes data beyond this is drained and dropped, so a huge instance cannot exhaust the heap */
    DimseRequestHandler(long maxDataBytes) {
        this.maxDataBytes = maxDataBytes;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdata, Association association) {
        for (Object o : pdata.getPDVList()) {
            if (malformed != null) {
                return;
            }
            PresentationDataValue pdv = (PresentationDataValue) o;
            if (commandList != null && pdv.getPresentationContextID() != presentationContextId) {
                protocolError("TSR-0213: data set sent on presentation context " + pdv.getPresentationContextID()
                        + ", its command on " + presentationContextId);
                return;
            }
            presentationContextId = pdv.getPresentationContextID();
            byte[] value = pdv.getValue();
            if (!pdv.isCommand() && commandList == null) {
                protocolError("TSR-0213: data set fragment before a complete DIMSE command");
                return;
            }
            if (pdv.isCommand()) {
                command.writeBytes(value);
                if (pdv.isLastFragment()) {
                    commandComplete();
                }
            } else {
                dataLength += value.length;
                if (dataLength > maxDataBytes) {
                    oversized = true;
                    data.clear();
                } else {
                    data.add(value);
                }
                if (pdv.isLastFragment()) {
                    setDone(true);
                }
            }
        }
    }

    private void commandComplete() {
        try {
            commandList = new AttributeList();
            commandList.read(new DicomInputStream(new ByteArrayInputStream(command.toByteArray()),
                    TransferSyntax.ImplicitVRLittleEndian, false));
            commandField = Attribute.getSingleIntegerValueOrDefault(commandList, TagFromName.CommandField, -1);
            int dataSetType = Attribute.getSingleIntegerValueOrDefault(commandList, TagFromName.CommandDataSetType, NO_DATA_SET);
            if (commandField != C_STORE_RQ || dataSetType == NO_DATA_SET) {
                setDone(true);
            }
        } catch (Exception e) {
            protocolError("TSR-0213: unreadable DIMSE command: " + e.getMessage());
        }
    }

    private void protocolError(String why) {
        malformed = why;
        setDone(true);
    }

    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        // not a response handler; nothing to evaluate
    }

    int commandField() { return commandField; }
    AttributeList commandList() { return commandList; }
    byte presentationContextId() { return presentationContextId; }
    List<byte[]> data() { return data; }
    long dataLength() { return dataLength; }
    /** The data set was larger than allowed; its bytes were dropped as they arrived. */
    boolean oversized() { return oversized; }
    String malformed() { return malformed; }

    String commandString(com.pixelmed.dicom.AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(commandList, tag).trim();
    }

    int messageId() {
        return Attribute.getSingleIntegerValueOrDefault(commandList, TagFromName.MessageID, 0);
    }
}
