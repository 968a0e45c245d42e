package io.tessera.fhir;

import io.tessera.core.ModelIdentity;
import io.tessera.core.Segmentation;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.StudyInfo;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;

/**
 * Maps a segmentation result to FHIR R4 (choices in docs/design.md, "FHIR choices"). Pure: the same inputs always give the same resources
 * with the same ids, so a redelivery after a crash replaces rather than duplicates.
 *
 * <p>Thread-safe and cheap; make one per configuration.
 */
public final class FhirResultMapper {
    public static final String DEFAULT_PATIENT_ID_SYSTEM = "urn:tessera:patient-id";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String SOP_CLASS_SYSTEM = "urn:ietf:rfc:3986";
    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    static final String MANUFACTURER = "Tessera";

    private final String patientIdSystem;
    private final java.util.Map<String, String> systemsByIssuer;
    private final ZoneId zone;
    private final String wadoRsUrl; // null: no Endpoint
    private final SiteIdentity site;
    private final java.util.Map<String, String> systemsByCallingAe;
    private final String callingAe; // the sender of the study being mapped, when known

    /**
     * @param patientIdSystem FHIR system of the DICOM PatientID (the issuer's URI where the site has one)
     * @param zone            the site's time zone: DICOM study times have none and FHIR needs one
     */
    public FhirResultMapper(String patientIdSystem, ZoneId zone) {
        this(patientIdSystem, java.util.Map.of(), zone);
    }

    /**
     * As {@link #FhirResultMapper(String, ZoneId)}; {@code systemsByIssuer} names the system of each DICOM Issuer of
     * Patient ID (0010,0021) whose MRNs live elsewhere (several hospitals sending to one Tessera).
     */
    public FhirResultMapper(String patientIdSystem, java.util.Map<String, String> systemsByIssuer, ZoneId zone) {
        this(patientIdSystem, systemsByIssuer, zone, null, null);
    }

    private FhirResultMapper(String patientIdSystem, java.util.Map<String, String> systemsByIssuer, ZoneId zone,
                             String wadoRsUrl, SiteIdentity site) {
        this(patientIdSystem, systemsByIssuer, zone, wadoRsUrl, site, java.util.Map.of(), null);
    }

    private FhirResultMapper(String patientIdSystem, java.util.Map<String, String> systemsByIssuer, ZoneId zone,
                             String wadoRsUrl, SiteIdentity site, java.util.Map<String, String> systemsByCallingAe,
                             String callingAe) {
        this.patientIdSystem = Objects.requireNonNull(patientIdSystem, "patientIdSystem");
        this.systemsByIssuer = java.util.Map.copyOf(systemsByIssuer);
        this.zone = Objects.requireNonNull(zone, "zone");
        this.wadoRsUrl = wadoRsUrl;
        this.site = site == null ? SiteIdentity.NONE : site;
        this.systemsByCallingAe = java.util.Map.copyOf(systemsByCallingAe);
        this.callingAe = callingAe;
    }

    /**
     * The same mapper that also knows the Patient ID system of each sender (calling AE title), for senders whose
     * headers name no Issuer of Patient ID: a modality of one hospital sends that hospital's MRNs.
     */
    public FhirResultMapper withSystemsByCallingAe(java.util.Map<String, String> systems) {
        return new FhirResultMapper(patientIdSystem, systemsByIssuer, zone, wadoRsUrl, site, systems, callingAe);
    }

    /** The same mapper for a study sent by {@code ae} (its Patient ID system may depend on the sender). */
    public FhirResultMapper forCallingAe(String ae) {
        return new FhirResultMapper(patientIdSystem, systemsByIssuer, zone, wadoRsUrl, site, systemsByCallingAe, ae);
    }

    /**
     * The same mapper with the site's identity: the system of its accession numbers (on the ImagingStudy and the
     * report's order) and the organisation that performs the results (DiagnosticReport.performer).
     */
    public FhirResultMapper withSite(String accessionSystem, String organizationName, String organizationIdentifier) {
        return new FhirResultMapper(patientIdSystem, systemsByIssuer, zone, wadoRsUrl,
                new SiteIdentity(accessionSystem, organizationName, organizationIdentifier), systemsByCallingAe, callingAe);
    }

    /**
     * The same mapper whose ImagingStudies name the DICOMweb (WADO-RS) service that holds the study's images and
     * results ({@code endpoint}, a contained Endpoint), so a viewer reached from the EHR can fetch them.
     */
    public FhirResultMapper withWadoRs(String baseUrl) {
        return new FhirResultMapper(patientIdSystem, systemsByIssuer, zone, baseUrl, site, systemsByCallingAe, callingAe);
    }

    SiteIdentity site() {
        return site;
    }

    /**
     * The FHIR system of the study's Patient ID: its Issuer of Patient ID's when configured, else its sender's (calling
     * AE) when configured, else the site's default.
     */
    String patientIdSystem(StudyInfo study) {
        String issuer = study.issuerOfPatientId();
        if (issuer != null && systemsByIssuer.containsKey(issuer)) return systemsByIssuer.get(issuer);
        if (callingAe != null && systemsByCallingAe.containsKey(callingAe.trim())) return systemsByCallingAe.get(callingAe.trim());
        return patientIdSystem;
    }

    public FhirResultMapper() {
        this(DEFAULT_PATIENT_ID_SYSTEM, ZoneId.systemDefault());
    }

    /**
     * @param seg          the model's result on one source series
     * @param segRef       the DICOM SEG written for it
     * @param issued       when the result was made available
     * @param studyVersion the study version (a late instance re-opens a study under the next version)
     */
    public FhirResultSet map(Segmentation seg, SegReference segRef, Instant issued, int studyVersion) {
        Objects.requireNonNull(seg, "seg");
        Objects.requireNonNull(segRef, "segRef");
        Objects.requireNonNull(issued, "issued");
        SourceSeries src = seg.source();
        StudyInfo study = src.study();
        ModelIdentity model = seg.model();
        Optional<DateTimeType> studyTime = DicomValues.dateTime(study.studyDate(), study.studyTime(), zone);

        Patient patient = patient(study);
        ImagingStudy imagingStudy = imagingStudy(study, src, segRef, patient, studyTime);
        Device device = device(model);
        FindingsMapper findings = new FindingsMapper(seg, segRef, studyVersion, issued, studyTime, patient, imagingStudy, device);
        List<Observation> observations = findings.observations();
        String key = FhirIds.id("ResultSet", study.studyInstanceUid(), src.seriesInstanceUid(), model.name(), model.version());
        return new FhirResultSet(key, study.studyInstanceUid(), studyVersion, patient, imagingStudy, device, observations,
                site.apply(findings.report(observations, segRef), imagingStudy));
    }

    /**
     * The segmentation result set plus report grounding: the grounding SEG and SR listed in the ImagingStudy, one
     * Observation per located finding (identifier = its tracking UID) referenced from the DiagnosticReport's
     * {@code result}, and the grounder's Device. Pure and deterministic, like {@link #map(Segmentation, SegReference,
     * Instant, int)}.
     */
    public FhirResultSet map(Segmentation seg, SegReference segRef, Instant issued, int studyVersion,
                             GroundingResult grounding) {
        Objects.requireNonNull(grounding, "grounding");
        return GroundingMapper.extend(this, map(seg, segRef, issued, studyVersion), grounding);
    }

    /**
     * A classifier's answer on one image of {@code source}: one Observation per label, the model's Device, an
     * ImagingStudy listing the image and the classification SR ({@code sr}), a DiagnosticReport
     * ({@link ClassificationObservations}). {@code trackingUid} gives each label's identifier from (SR SOP UID, label),
     * the recipe of the SR's groups, so SR and FHIR agree. Pure and deterministic.
     */
    public FhirResultSet map(SourceSeries source, io.tessera.core.Classification classification, SegReference sr, Instant issued,
                             int studyVersion, java.util.function.BiFunction<String, String, String> trackingUid) {
        Optional<DateTimeType> studyTime = DicomValues.dateTime(source.study().studyDate(), source.study().studyTime(), zone);
        return new ClassificationObservations(this, source, classification, sr, issued, studyVersion, studyTime)
                .resultSet(trackingUid);
    }

    /**
     * One prompted region on one image of {@code source} ({@link PromptedRegionObservations}): an Observation with its
     * area and longest diameter, identified by the SEG segment's tracking UID, the model's Device, an ImagingStudy
     * listing the image, the SEG and the SR, a DiagnosticReport. Pure and deterministic.
     */
    public FhirResultSet mapPromptedRegion(SourceSeries source, ModelIdentity model, io.tessera.core.SliceRef image,
                                           String trackingUid, double areaMm2, double maxDiameterMm, double predictedIou,
                                           String prompt, SegReference seg, SegReference sr, Instant issued, int studyVersion) {
        Optional<DateTimeType> studyTime = DicomValues.dateTime(source.study().studyDate(), source.study().studyTime(), zone);
        return new PromptedRegionObservations(this).resultSet(source, model, new PromptedRegionObservations.Region(image,
                trackingUid, areaMm2, maxDiameterMm, predictedIou, prompt), seg, sr, issued, studyVersion, studyTime);
    }

    Patient patient(StudyInfo study) {
        Patient p = new Patient();
        boolean hasId = !DicomValues.blank(study.patientId());
        String system = patientIdSystem(study);
        p.setId(hasId ? FhirIds.id("Patient", system, study.patientId().trim())
                : FhirIds.id("Patient", "no-patient-id", study.studyInstanceUid()));
        if (hasId) {
            Identifier id = p.addIdentifier().setUse(Identifier.IdentifierUse.USUAL)
                    .setType(new CodeableConcept(new Coding(V2_0203, "MR", "Medical record number")))
                    .setSystem(system).setValue(study.patientId().trim());
            if (study.issuerOfPatientId() != null) id.getAssigner().setDisplay(study.issuerOfPatientId());
        }
        DicomValues.name(study.patientName()).ifPresent(p::addName);
        DicomValues.birthDate(study.patientBirthDate()).ifPresent(p::setBirthDateElement);
        DicomValues.gender(study.patientSex()).ifPresent(p::setGender);
        Narratives.set(p, "Patient " + (p.hasName() ? p.getNameFirstRep().getText() : "(no name)")
                + (hasId ? ", ID " + study.patientId().trim() : ""));
        return p;
    }

    ImagingStudy imagingStudy(StudyInfo study, SourceSeries src, SegReference segRef, Patient patient,
                              Optional<DateTimeType> started) {
        ImagingStudy s = new ImagingStudy();
        s.setId(FhirIds.id("ImagingStudy", study.studyInstanceUid()));
        s.addIdentifier().setSystem(FhirIds.DICOM_UID_SYSTEM).setValue(FhirIds.urnOid(study.studyInstanceUid()));
        if (!DicomValues.blank(study.accessionNumber())) {
            s.addIdentifier().setType(accessionType()).setValue(study.accessionNumber().trim());
        }
        s.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        s.setSubject(References.to(patient));
        started.ifPresent(t -> s.setStartedElement(t.copy()));
        if (!DicomValues.blank(study.studyDescription())) s.setDescription(study.studyDescription());

        ImagingStudy.ImagingStudySeriesComponent source = s.addSeries()
                .setUid(src.seriesInstanceUid())
                .setModality(new Coding(DCM, src.modality(), null))
                .setNumberOfInstances(src.slices().size());
        DicomValues.integer(src.seriesNumber()).filter(n -> n >= 0).ifPresent(source::setNumber);
        if (!DicomValues.blank(src.seriesDescription())) source.setDescription(src.seriesDescription());
        for (SliceRef slice : src.slices()) {
            source.addInstance().setUid(slice.sopInstanceUid()).setSopClass(sopClass(slice.sopClassUid()));
        }

        ImagingStudy.ImagingStudySeriesComponent segSeries = s.addSeries()
                .setUid(segRef.seriesInstanceUid())
                .setModality(new Coding(DCM, "SEG", null))
                .setNumberOfInstances(segRef.instanceCount());
        if (segRef.seriesNumber() >= 0) segSeries.setNumber(segRef.seriesNumber());
        if (!DicomValues.blank(segRef.description())) segSeries.setDescription(segRef.description());
        segSeries.addInstance().setUid(segRef.sopInstanceUid()).setSopClass(sopClass(segRef.sopClassUid())).setNumber(1);
        ImagingStudySeries.recount(s);
        if (wadoRsUrl != null) ImagingEndpoint.attach(s, wadoRsUrl);
        Narratives.set(s, "Imaging study " + (s.hasDescription() ? s.getDescription() : study.studyInstanceUid()),
                src.modality() + " series with " + src.slices().size() + " images and its AI segmentation (SEG).");
        return s;
    }

    Device device(ModelIdentity model) {
        Device d = new Device();
        d.setId(FhirIds.id("Device", model.name(), model.version()));
        d.addIdentifier().setSystem(FhirIds.DICOM_UID_SYSTEM)
                .setValue(FhirIds.urnOid(FhirIds.deviceUid(model.name(), model.version())));
        d.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        d.setManufacturer(MANUFACTURER);
        d.addDeviceName().setName(model.name()).setType(Device.DeviceNameType.MODELNAME);
        d.setType(new CodeableConcept(new Coding("http://snomed.info/sct", "706689003", "Application program software"))
                .setText("AI segmentation model"));
        d.addVersion().setValue(model.version());
        if (!DicomValues.blank(model.sha256())) {
            d.addVersion().setType(new CodeableConcept().setText("ONNX SHA-256")).setValue(model.sha256());
        }
        d.addNote().setText("AI model run by Tessera. Its results are AI generated and not for clinical use.");
        Narratives.set(d, "AI model " + model.displayName() + " (Tessera). Results are not for clinical use.");
        return d;
    }

    static CodeableConcept accessionType() {
        return new CodeableConcept(new Coding(V2_0203, "ACSN", "Accession ID"));
    }

    private static Coding sopClass(String uid) {
        return new Coding(SOP_CLASS_SYSTEM, FhirIds.urnOid(uid), null);
    }
}
