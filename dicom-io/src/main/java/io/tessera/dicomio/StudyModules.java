package io.tessera.dicomio;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import io.tessera.core.StudyInfo;
import java.util.List;

/** Patient and General Study modules: built from {@link StudyInfo}, or copied attribute by attribute from a source header. */
final class StudyModules {
    private StudyModules() {}

    /** Patient and study attributes copied from a source object when present (type 2 ones written empty otherwise). */
    static final List<String> COPIED = List.of(
            "PatientName", "PatientID", "IssuerOfPatientID", "PatientBirthDate", "PatientSex",
            "OtherPatientIDsSequence", "PatientAge", "PatientSize", "PatientWeight",
            "StudyInstanceUID", "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID",
            "AccessionNumber", "StudyDescription", "IssuerOfAccessionNumberSequence");
    private static final List<String> TYPE2 = List.of(
            "PatientName", "PatientID", "PatientBirthDate", "PatientSex",
            "StudyDate", "StudyTime", "ReferringPhysicianName", "StudyID", "AccessionNumber");

    static void put(AttributeList list, StudyInfo s) {
        Dcm.put(list, "PatientName", Dcm.nz(s.patientName()));
        Dcm.put(list, "PatientID", Dcm.nz(s.patientId()));
        Dcm.put(list, "PatientBirthDate", Dcm.nz(s.patientBirthDate()));
        Dcm.put(list, "PatientSex", Dcm.nz(s.patientSex()));
        Dcm.put(list, "StudyInstanceUID", s.studyInstanceUid());
        Dcm.put(list, "StudyDate", Dcm.nz(s.studyDate()));
        Dcm.put(list, "StudyTime", Dcm.nz(s.studyTime()));
        Dcm.put(list, "ReferringPhysicianName");
        Dcm.put(list, "StudyID", Dcm.nz(s.studyId()));
        Dcm.put(list, "AccessionNumber", Dcm.nz(s.accessionNumber()));
        if (s.studyDescription() != null && !s.studyDescription().isEmpty()) {
            Dcm.put(list, "StudyDescription", s.studyDescription());
        }
    }

    /**
     * Copies the patient/study attributes of {@code source} (exact values — a changed PatientID makes Orthanc file the
     * result as another study), plus its SpecificCharacterSet so copied strings decode the same.
     * A zero or empty PatientWeight/PatientSize is dropped (a zero weight is a dciodvfy complaint).
     */
    static void copy(AttributeList target, AttributeList source) throws DicomException {
        Attribute cs = source.get(Dcm.tag("SpecificCharacterSet"));
        if (cs != null) target.put(cs);
        for (String kw : COPIED) {
            Attribute a = source.get(Dcm.tag(kw));
            if (a != null) {
                if ((kw.equals("PatientWeight") || kw.equals("PatientSize"))
                        && Attribute.getSingleDoubleValueOrDefault(a, 0) <= 0) continue;
                target.put(a);
            } else if (TYPE2.contains(kw)) {
                Dcm.put(target, kw);
            }
        }
    }
}
