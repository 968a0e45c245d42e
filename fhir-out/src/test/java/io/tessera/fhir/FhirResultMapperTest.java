package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

class FhirResultMapperTest {
    private final FhirResultSet set = TestResults.resultSet();

    @Test
    void same_inputs_give_identical_resources() {
        assertEquals(set.resourcesJson(), TestResults.resultSet().resourcesJson());
        for (String ref : set.references()) assertTrue(ref.matches("[A-Za-z]+/[0-9a-f]{32}"), ref);
    }

    @Test
    void a_new_study_version_keeps_the_report_patient_study_and_device_ids_and_gets_new_observations() {
        FhirResultSet v2 = TestResults.MAPPER.map(TestResults.segmentation(),
                TestResults.segReference(TestResults.SEG_SOP_UID + ".2"), TestResults.ISSUED, 2);
        assertEquals(set.key(), v2.key());
        assertEquals(set.patient().getIdElement().getIdPart(), v2.patient().getIdElement().getIdPart());
        assertEquals(set.imagingStudy().getIdElement().getIdPart(), v2.imagingStudy().getIdElement().getIdPart());
        assertEquals(set.device().getIdElement().getIdPart(), v2.device().getIdElement().getIdPart());
        assertEquals(set.reportId(), v2.reportId(), "the report is amended, not replaced");
        assertEquals(set.report().getIdentifierFirstRep().getValue(), v2.report().getIdentifierFirstRep().getValue());
        assertNotEquals(set.observations().get(0).getIdElement().getIdPart(),
                v2.observations().get(0).getIdElement().getIdPart());
    }

    @Test
    void the_patient_identifier_takes_the_system_of_its_issuer_when_one_is_configured() {
        FhirResultMapper mapper = new FhirResultMapper("urn:oid:1.2.3", java.util.Map.of("HOSP_A", "urn:oid:1.2.3.4"),
                TestResults.ZONE);
        io.tessera.core.StudyInfo base = TestResults.study(TestResults.STUDY_UID, "PID-001", "ACC123");
        io.tessera.core.StudyInfo fromA = new io.tessera.core.StudyInfo(base.studyInstanceUid(), base.patientId(),
                base.patientName(), base.patientBirthDate(), base.patientSex(), base.accessionNumber(), base.studyDate(),
                base.studyTime(), base.studyDescription(), base.studyId(), "HOSP_A");
        io.tessera.core.StudyInfo fromB = new io.tessera.core.StudyInfo(base.studyInstanceUid(), base.patientId(),
                base.patientName(), base.patientBirthDate(), base.patientSex(), base.accessionNumber(), base.studyDate(),
                base.studyTime(), base.studyDescription(), base.studyId(), "HOSP_B");
        org.hl7.fhir.r4.model.Identifier a = mapper.patient(fromA).getIdentifierFirstRep();
        assertEquals(List.of("urn:oid:1.2.3.4", "PID-001", "HOSP_A"),
                List.of(a.getSystem(), a.getValue(), a.getAssigner().getDisplay()));
        assertEquals("urn:oid:1.2.3", mapper.patient(fromB).getIdentifierFirstRep().getSystem(), "unmapped issuer");
        assertEquals("urn:oid:1.2.3", mapper.patient(base).getIdentifierFirstRep().getSystem(), "no issuer");
        assertNotEquals(mapper.patient(fromA).getIdElement().getIdPart(), mapper.patient(fromB).getIdElement().getIdPart(),
                "the same Patient ID from two issuers is two patients");
        FhirResultMapper bySender = mapper.withSystemsByCallingAe(java.util.Map.of("CT_NORTH", "urn:oid:9.9")).forCallingAe("CT_NORTH");
        assertEquals("urn:oid:9.9", bySender.patient(base).getIdentifierFirstRep().getSystem(), "no issuer: the sender's");
        assertEquals("urn:oid:1.2.3.4", bySender.patient(fromA).getIdentifierFirstRep().getSystem(), "an issuer wins");
        assertEquals("urn:oid:1.2.3", bySender.forCallingAe("OTHER").patient(base).getIdentifierFirstRep().getSystem());
    }

    @Test
    void a_configured_dicomweb_service_is_the_imaging_studys_endpoint_and_validates() {
        FhirResultSet withWado = TestResults.MAPPER.withWadoRs("https://pacs.example.org/dicom-web")
                .map(TestResults.segmentation(), TestResults.segReference(), TestResults.ISSUED, 1);
        org.hl7.fhir.r4.model.ImagingStudy s = withWado.imagingStudy();
        assertEquals("#wado-rs", s.getEndpointFirstRep().getReference());
        org.hl7.fhir.r4.model.Endpoint e = (org.hl7.fhir.r4.model.Endpoint) s.getContained().get(0);
        assertEquals(List.of("dicom-wado-rs", "https://pacs.example.org/dicom-web"),
                List.of(e.getConnectionType().getCode(), e.getAddress()));
        assertEquals(List.of("CT", "SEG"), s.getModality().stream().map(c -> c.getCode()).toList());
        assertEquals(List.of(), FhirValidator.shared().errors(s));
        assertFalse(set.imagingStudy().hasEndpoint(), "none unless configured");
    }

    @Test
    void the_sites_accession_system_and_performing_organisation_are_named() {
        FhirResultSet sited = TestResults.MAPPER.withSite("urn:oid:1.2.840.99.1", "Radiology, St Example",
                        "urn:oid:1.2.840.99|RAD-1")
                .map(TestResults.segmentation(), TestResults.segReference(), TestResults.ISSUED, 1);
        assertEquals("urn:oid:1.2.840.99.1", sited.report().getBasedOnFirstRep().getIdentifier().getSystem());
        assertEquals("urn:oid:1.2.840.99.1", sited.imagingStudy().getIdentifier().stream()
                .filter(i -> i.getType().hasCoding()).findFirst().orElseThrow().getSystem());
        org.hl7.fhir.r4.model.Reference performer = sited.report().getPerformerFirstRep();
        assertEquals(List.of("Radiology, St Example", "urn:oid:1.2.840.99", "RAD-1"),
                List.of(performer.getDisplay(), performer.getIdentifier().getSystem(), performer.getIdentifier().getValue()));
        assertEquals(List.of(), FhirValidator.shared().errors(sited.report()));
        assertFalse(set.report().hasPerformer(), "none unless configured");
    }

    @Test
    void results_carry_the_ai_label_and_a_provenance_naming_model_and_source_study() {
        for (Observation o : set.observations()) {
            assertEquals("AIAST", o.getMeta().getSecurityFirstRep().getCode());
        }
        assertEquals("AIAST", set.report().getMeta().getSecurityFirstRep().getCode());
        org.hl7.fhir.r4.model.Provenance p = (org.hl7.fhir.r4.model.Provenance) set.resources().stream()
                .filter(r -> r instanceof org.hl7.fhir.r4.model.Provenance).findFirst().orElseThrow();
        assertEquals(1 + set.observations().size(), p.getTarget().size());
        assertEquals("Device/" + set.device().getIdElement().getIdPart(), p.getAgentFirstRep().getWho().getReference());
        assertEquals("ImagingStudy/" + set.imagingStudy().getIdElement().getIdPart(),
                p.getEntityFirstRep().getWhat().getReference());
        assertFalse(set.patient().getMeta().hasSecurity(), "the Patient is not AI output");
    }

    @Test
    void one_observation_per_non_empty_segment_with_volume_in_millilitres() {
        List<Observation> obs = set.observations();
        assertEquals(2, obs.size(), "kidney has no voxels");
        assertEquals(new BigDecimal("4.5"), obs.get(0).getValueQuantity().getValue());
        assertEquals("10200004", obs.get(0).getBodySite().getCodingFirstRep().getCode());
        assertEquals(new BigDecimal("1.5"), obs.get(1).getValueQuantity().getValue());
        assertEquals("78961009", obs.get(1).getBodySite().getCodingFirstRep().getCode());
        Observation o = obs.get(0);
        assertEquals("http://unitsofmeasure.org", o.getValueQuantity().getSystem());
        assertEquals("mL", o.getValueQuantity().getCode());
        assertEquals("118565006", o.getCode().getCodingFirstRep().getCode());
        assertEquals("imaging", o.getCategoryFirstRep().getCodingFirstRep().getCode());
        assertEquals(Observation.ObservationStatus.PRELIMINARY, o.getStatus());
        assertEquals("Device/" + set.device().getIdElement().getIdPart(), o.getDevice().getReference());
        assertEquals("ImagingStudy/" + set.imagingStudy().getIdElement().getIdPart(),
                o.getDerivedFromFirstRep().getReference());
        // The same recipe as the SEG segment's TrackingUID: SEG instance + 1-based segment number.
        String trackingUid = io.tessera.core.Uids.segmentTrackingUid(TestResults.SEG_SOP_UID, 1);
        assertEquals("urn:oid:" + trackingUid, o.getIdentifierFirstRep().getValue());
    }

    @Test
    void patient_carries_dicom_identity_and_demographics() {
        Patient p = set.patient();
        assertEquals(FhirResultMapper.DEFAULT_PATIENT_ID_SYSTEM, p.getIdentifierFirstRep().getSystem());
        assertEquals("PID-001", p.getIdentifierFirstRep().getValue());
        assertEquals("Doe", p.getNameFirstRep().getFamily());
        assertEquals("Jane Q", p.getNameFirstRep().getGivenAsSingleString());
        assertEquals("1970-01-02", p.getBirthDateElement().getValueAsString());
        assertEquals(AdministrativeGender.FEMALE, p.getGender());
    }

    @Test
    void imaging_study_lists_the_source_and_the_seg_series() {
        ImagingStudy s = set.imagingStudy();
        assertEquals("urn:dicom:uid", s.getIdentifierFirstRep().getSystem());
        assertEquals("urn:oid:" + TestResults.STUDY_UID, s.getIdentifierFirstRep().getValue());
        assertEquals("ACC123", s.getIdentifier().get(1).getValue());
        assertEquals(ImagingStudy.ImagingStudyStatus.AVAILABLE, s.getStatus());
        assertEquals("2024-03-15T10:15:30+01:00", s.getStartedElement().getValueAsString());
        assertEquals(2, s.getNumberOfSeries());
        assertEquals(4, s.getNumberOfInstances());
        ImagingStudy.ImagingStudySeriesComponent src = s.getSeries().get(0);
        assertEquals(TestResults.SERIES_UID, src.getUid());
        assertEquals("CT", src.getModality().getCode());
        assertEquals(3, src.getInstance().size());
        assertEquals("urn:oid:" + TestResults.CT_IMAGE_STORAGE, src.getInstanceFirstRep().getSopClass().getCode());
        ImagingStudy.ImagingStudySeriesComponent seg = s.getSeries().get(1);
        assertEquals(TestResults.SEG_SERIES_UID, seg.getUid());
        assertEquals("SEG", seg.getModality().getCode());
        assertEquals(9001, seg.getNumber());
        assertEquals("urn:oid:" + SegReference.SEGMENTATION_STORAGE, seg.getInstanceFirstRep().getSopClass().getCode());
    }

    @Test
    void report_links_order_study_results_and_states_the_volumes() {
        DiagnosticReport r = set.report();
        assertEquals(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY, r.getStatus());
        assertEquals("RAD", r.getCategoryFirstRep().getCodingFirstRep().getCode());
        assertEquals("18748-4", r.getCode().getCodingFirstRep().getCode());
        assertEquals("ServiceRequest", r.getBasedOnFirstRep().getType());
        assertEquals("ACSN", r.getBasedOnFirstRep().getIdentifier().getType().getCodingFirstRep().getCode());
        assertEquals("ACC123", r.getBasedOnFirstRep().getIdentifier().getValue());
        assertEquals(2, r.getResult().size());
        assertEquals(TestResults.ISSUED, r.getIssued().toInstant());
        assertEquals("2024-03-15T10:15:30+01:00", r.getEffectiveDateTimeType().getValueAsString());
        assertTrue(r.getConclusion().contains("Liver 4.5 mL, Spleen 1.5 mL"), r.getConclusion());
        assertTrue(r.getConclusion().contains("not for clinical use"), r.getConclusion());
        String text = new String(r.getPresentedFormFirstRep().getData(), StandardCharsets.UTF_8);
        assertTrue(text.contains("Kidney") && text.contains("(not found)"), text);
        assertEquals("urn:oid:" + FhirIds.reportUid(TestResults.STUDY_UID, TestResults.SERIES_UID,
                "abdomen-organs", "1.2.0"), r.getIdentifierFirstRep().getValue());
    }

    @Test
    void device_identifies_the_model_version_by_its_device_uid() {
        var d = set.device();
        assertEquals("abdomen-organs", d.getDeviceNameFirstRep().getName());
        assertEquals("1.2.0", d.getVersionFirstRep().getValue());
        assertEquals("Tessera", d.getManufacturer());
        assertEquals("urn:oid:" + FhirIds.deviceUid("abdomen-organs", "1.2.0"), d.getIdentifierFirstRep().getValue());
    }

    @Test
    void missing_patient_id_and_accession_leave_those_elements_out() {
        FhirResultSet bare = TestResults.MAPPER.map(
                TestResults.segmentation(TestResults.study("1.2.3", " ", null), "1.2.3.4"),
                TestResults.segReference(), TestResults.ISSUED, 1);
        assertFalse(bare.patient().hasIdentifier());
        assertFalse(bare.report().hasBasedOn());
        assertEquals(1, bare.imagingStudy().getIdentifier().size());
    }

    @Test
    void bundle_round_trips_through_json() {
        var bundle = FhirContexts.r4().newJsonParser().parseResource(org.hl7.fhir.r4.model.Bundle.class,
                set.bundleJson("https://tessera.example/fhir"));
        FhirResultSet back = FhirResultSet.fromBundle(bundle);
        assertEquals(set.key(), back.key());
        assertEquals(set.studyVersion(), back.studyVersion());
        assertEquals(set.references(), back.references());
    }
}
