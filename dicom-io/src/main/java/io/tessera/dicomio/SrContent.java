package io.tessera.dicomio;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.SequenceAttribute;
import io.tessera.core.Code;

/**
 * SR content items written straight into attribute lists: each method appends one item to {@code parent}'s Content
 * Sequence (made on first use) and returns it, so children can be added to it in turn.
 */
final class SrContent {
    static final String CONTAINS = "CONTAINS";
    static final String HAS_OBS_CONTEXT = "HAS OBS CONTEXT";
    static final String HAS_CONCEPT_MOD = "HAS CONCEPT MOD";
    static final String HAS_ACQ_CONTEXT = "HAS ACQ CONTEXT";

    private SrContent() {}

    static AttributeList container(AttributeList parent, String relationship, Code concept, String templateId) {
        AttributeList item = item(parent, relationship, "CONTAINER", concept);
        Dcm.put(item, "ContinuityOfContent", "SEPARATE");
        if (templateId != null) template(item, templateId);
        return item;
    }

    /** Content Template Sequence naming a DCMR template. */
    static void template(AttributeList item, String templateId) {
        AttributeList t = Dcm.item(Dcm.seq(item, "ContentTemplateSequence"));
        Dcm.put(t, "MappingResource", "DCMR");
        Dcm.put(t, "TemplateIdentifier", templateId);
    }

    static AttributeList code(AttributeList parent, String relationship, Code concept, Code value) {
        AttributeList item = item(parent, relationship, "CODE", concept);
        Dcm.code(item, "ConceptCodeSequence", value);
        return item;
    }

    static AttributeList text(AttributeList parent, String relationship, Code concept, String value) {
        AttributeList item = item(parent, relationship, "TEXT", concept);
        Dcm.put(item, "TextValue", value);
        return item;
    }

    static AttributeList uidref(AttributeList parent, String relationship, Code concept, String uid) {
        AttributeList item = item(parent, relationship, "UIDREF", concept);
        Dcm.put(item, "UID", uid);
        return item;
    }

    static AttributeList num(AttributeList parent, String relationship, Code concept, double value, Code unit) {
        AttributeList item = item(parent, relationship, "NUM", concept);
        AttributeList measured = Dcm.item(Dcm.seq(item, "MeasuredValueSequence"));
        Dcm.put(measured, "NumericValue", Dcm.ds(value));
        Dcm.code(measured, "MeasurementUnitsCodeSequence", unit);
        return item;
    }

    /** An IMAGE item; {@code segmentNumber} > 0 makes it a segment reference (TID 1411 "Referenced Segment"). */
    static AttributeList image(AttributeList parent, String relationship, Code concept, String sopClassUid, String sopInstanceUid,
                               int segmentNumber) {
        AttributeList item = item(parent, relationship, "IMAGE", concept);
        AttributeList ref = Dcm.item(Dcm.seq(item, "ReferencedSOPSequence"));
        Dcm.put(ref, "ReferencedSOPClassUID", sopClassUid);
        Dcm.put(ref, "ReferencedSOPInstanceUID", sopInstanceUid);
        if (segmentNumber > 0) Dcm.putInt(ref, "ReferencedSegmentNumber", segmentNumber);
        return item;
    }

    private static AttributeList item(AttributeList parent, String relationship, String valueType, Code concept) {
        SequenceAttribute content = Dcm.getSeq(parent, "ContentSequence");
        if (content == null) content = Dcm.seq(parent, "ContentSequence");
        AttributeList item = Dcm.item(content);
        Dcm.put(item, "RelationshipType", relationship);
        Dcm.put(item, "ValueType", valueType);
        if (concept != null) Dcm.code(item, "ConceptNameCodeSequence", concept);
        return item;
    }
}
