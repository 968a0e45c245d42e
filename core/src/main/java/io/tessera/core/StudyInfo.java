package io.tessera.core;

/**
 * Patient and study identity of a received study, as the DICOM headers give it (strings in DICOM formats:
 * dates {@code YYYYMMDD}, times {@code HHMMSS[.F]}, names {@code Family^Given}). May hold PHI: never log it.
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
        String studyId) {}
