package com.pixelmed.network;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.DicomStreamCopier;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.utils.CopyStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Tessera's addition, not PixelMed code: PixelMed's {@code StorageSOPClassSCU} keeps the C-STORE response's Status to
 * itself (its response handler only says success or not, counting B000/B006/B007 as success, and clears the command it
 * parsed), so a caller cannot tell A700 (out of resources: retry later) from A900 or C000 (never going to work). This
 * subclass sends each instance exactly as {@code sendOneSOPInstance} 20220618 does (C-STORE-RQ, then the data set
 * copied as is or transcoded, then wait for the response) with a response handler that keeps Status and Error
 * Comment; {@link #lastStatus()} is read by the transfer status handler that PixelMed calls after each instance.
 * It also keeps the exception that ended the association early, which PixelMed only logs.
 */
public final class StatusRecordingStorageSCU extends StorageSOPClassSCU {
    /** No response (yet) for the instance being sent. */
    public static final int NO_STATUS = -1;
    private volatile int lastStatus = NO_STATUS;
    private volatile String lastErrorComment;
    private volatile Exception trapped;

    public StatusRecordingStorageSCU() throws DicomNetworkException, DicomException, IOException {
        super();
    }

    /** Sends every file of {@code set} over {@code association}, calling {@code handler} after each. */
    public void send(Association association, SetOfDicomFiles set, MultipleInstanceTransferStatusHandler handler) {
        try {
            sendMultipleSOPInstances(association, set, handler, null, 0);
        } catch (AReleaseException | DicomNetworkException | IOException | RuntimeException e) {
            trappedExceptions = true;
            trapped = e;
        }
    }

    public int lastStatus() {
        return lastStatus;
    }

    public String lastErrorComment() {
        return lastErrorComment;
    }

    /** The exception that ended the association before every instance was answered, or null. */
    public Exception trapped() {
        return trapped;
    }

    @Override
    protected boolean sendOneSOPInstance(Association association, String affectedSOPClass, String affectedSOPInstance,
            String inputTransferSyntaxUID, DicomInputStream din, byte presentationContextID, String outputTransferSyntaxUID,
            String moveOriginatorApplicationEntityTitle, int moveOriginatorMessageID)
            throws AReleaseException, DicomNetworkException, DicomException, IOException {
        lastStatus = NO_STATUS;
        lastErrorComment = null;
        byte[] command = new CStoreRequestCommandMessage(affectedSOPClass, affectedSOPInstance,
                moveOriginatorApplicationEntityTitle, moveOriginatorMessageID).getBytes();
        Handler handler = new Handler();
        association.setReceivedDataHandler(handler);
        association.send(presentationContextID, command, null);
        OutputStream out = association.getAssociationOutputStream(presentationContextID);
        if (inputTransferSyntaxUID.equals(outputTransferSyntaxUID)) {
            CopyStream.copy(din, out);
            out.close();
        } else {
            new DicomStreamCopier(din, new DicomOutputStream(out, null, outputTransferSyntaxUID));
        }
        association.waitForCommandPDataPDUs();
        return handler.wasSuccessful();
    }

    /** As PixelMed's own C-STORE response handler, keeping what it throws away. */
    private final class Handler extends CompositeResponseHandler {
        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            int status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            lastStatus = status;
            lastErrorComment = Attribute.getSingleStringValueOrNull(list, TagFromName.ErrorComment);
            success = status == 0x0000 || status == 0xB000 || status == 0xB007 || status == 0xB006;
        }
    }
}
