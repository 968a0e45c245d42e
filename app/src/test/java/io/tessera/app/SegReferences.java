package io.tessera.app;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** What a SEG says it was made from: the SOP Instance UIDs of its Referenced Series Sequence. */
final class SegReferences {
    private SegReferences() {}

    static Set<String> sourceSops(Path seg) throws Exception {
        AttributeList l = new AttributeList();
        l.read(seg.toFile(), TagFromName.PixelData);
        SequenceAttribute series = (SequenceAttribute) l.get(TagFromName.ReferencedSeriesSequence);
        Set<String> sops = new HashSet<>();
        for (int i = 0; i < series.getNumberOfItems(); i++) {
            SequenceAttribute inst = (SequenceAttribute) series.getItem(i).getAttributeList().get(TagFromName.ReferencedInstanceSequence);
            for (int j = 0; j < inst.getNumberOfItems(); j++) {
                sops.add(inst.getItem(j).getAttributeList().get(TagFromName.ReferencedSOPInstanceUID).getSingleStringValueOrEmptyString());
            }
        }
        return sops;
    }
}
