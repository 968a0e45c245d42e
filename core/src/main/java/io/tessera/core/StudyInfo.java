package io.tessera.core;

/**
 * Patient and study identity of a received study, as the DICOM headers give it (strings in DICOM formats:
 * dates {@code YYYYMMDD}, times {@code HHMMSS[.F]}, names {@code Family^Given}). {@code issuerOfPatientId} is the
 * assigning authority of the Patient ID (0010,0021), null when the header has none. May hold PHI: never log it.
 */
public record StudyInfo(
        String studyInstanceUid,
        String patientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        String accessionNumber,
        String studyDate,
        String studyTime,
        String studyDescription,
        String studyId,
        String issuerOfPatientId) {

    /** A study whose headers name no issuer of the Patient ID. */
    public StudyInfo(String studyInstanceUid, String patientId, String patientName, String patientBirthDate,
                     String patientSex, String accessionNumber, String studyDate, String studyTime,
                     String studyDescription, String studyId) {
        this(studyInstanceUid, patientId, patientName, patientBirthDate, patientSex, accessionNumber, studyDate,
                studyTime, studyDescription, studyId, null);
    }
}
