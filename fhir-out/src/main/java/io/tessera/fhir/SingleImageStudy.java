package io.tessera.fhir;

import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;

/**
 * The ImagingStudy of a result made on one image of a series (a classified radiograph, a prompted frame): that image
 * in its series, and each DICOM result object (SR, SEG) in its own series, so an EHR can fetch every one by UID.
 */
final class SingleImageStudy {
    private SingleImageStudy() {}

    static ImagingStudy of(SourceSeries source, SliceRef image, List<SegReference> results, Patient patient,
                           Optional<DateTimeType> started, String narrative) {
        StudyInfo study = source.study();
        ImagingStudy s = new ImagingStudy();
        s.setId(FhirIds.id("ImagingStudy", study.studyInstanceUid()));
        s.addIdentifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(study.studyInstanceUid()));
        if (!DicomValues.blank(study.accessionNumber())) {
            s.addIdentifier().setType(FhirResultMapper.accessionType()).setValue(study.accessionNumber().trim());
        }
        s.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        s.setSubject(References.to(patient));
        started.ifPresent(t -> s.setStartedElement(t.copy()));
        if (!DicomValues.blank(study.studyDescription())) s.setDescription(study.studyDescription());
        ImagingStudy.ImagingStudySeriesComponent series = s.addSeries().setUid(source.seriesInstanceUid())
                .setModality(new Coding(FhirResultMapper.DCM, source.modality(), null)).setNumberOfInstances(1);
        DicomValues.integer(source.seriesNumber()).filter(n -> n >= 0).ifPresent(series::setNumber);
        if (!DicomValues.blank(source.seriesDescription())) series.setDescription(source.seriesDescription());
        series.addInstance().setUid(image.sopInstanceUid()).setSopClass(sopClass(image.sopClassUid()));
        for (SegReference r : results) {
            String modality = SegReference.SEGMENTATION_STORAGE.equals(r.sopClassUid()) ? "SEG" : "SR";
            ImagingStudy.ImagingStudySeriesComponent out = s.addSeries().setUid(r.seriesInstanceUid())
                    .setModality(new Coding(FhirResultMapper.DCM, modality, null)).setNumberOfInstances(1);
            if (r.seriesNumber() >= 0) out.setNumber(r.seriesNumber());
            if (!DicomValues.blank(r.description())) out.setDescription(r.description());
            out.addInstance().setUid(r.sopInstanceUid()).setSopClass(sopClass(r.sopClassUid())).setNumber(1);
        }
        ImagingStudySeries.recount(s);
        Narratives.set(s, "Imaging study " + (s.hasDescription() ? s.getDescription() : study.studyInstanceUid()), narrative);
        return s;
    }

    static Coding sopClass(String uid) {
        return new Coding(FhirResultMapper.SOP_CLASS_SYSTEM, FhirIds.urnOid(uid), null);
    }
}
