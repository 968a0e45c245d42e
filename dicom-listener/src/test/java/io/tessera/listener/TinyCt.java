package io.tessera.listener;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Deterministic tiny CT slices (16×16) written as Part 10 files, for feeding real SCUs. */
final class TinyCt {
    private TinyCt() {}

    static final String STUDY = "1.2.826.0.1.3680043.10.1234.1";
    static final String SERIES = STUDY + ".2";

    static String sop(int i) {
        return SERIES + "." + (i + 1);
    }

    static List<Path> write(Path dir, int count) throws Exception {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AttributeList list = new AttributeList();
            put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
            put(list, TagFromName.SOPInstanceUID, sop(i));
            put(list, TagFromName.StudyInstanceUID, STUDY);
            put(list, TagFromName.SeriesInstanceUID, SERIES);
            put(list, TagFromName.Modality, "CT");
            put(list, TagFromName.PatientID, "TEST-0001");
            put(list, TagFromName.InstanceNumber, Integer.toString(i + 1));
            put(list, TagFromName.ImagePositionPatient, "0\\0\\" + i);
            put(list, TagFromName.Rows, "16");
            put(list, TagFromName.Columns, "16");
            put(list, TagFromName.BitsAllocated, "16");
            put(list, TagFromName.BitsStored, "16");
            put(list, TagFromName.HighBit, "15");
            put(list, TagFromName.PixelRepresentation, "1");
            put(list, TagFromName.SamplesPerPixel, "1");
            put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
            short[] pixels = new short[16 * 16];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (short) ((p * 7 + i) % 2000 - 1000);
            }
            Attribute px = new OtherWordAttribute(TagFromName.PixelData);
            px.setValues(pixels);
            list.put(px);
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "TEST");
            Path f = dir.resolve("ct" + i + ".dcm");
            list.write(f.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
            files.add(f);
        }
        return files;
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}
