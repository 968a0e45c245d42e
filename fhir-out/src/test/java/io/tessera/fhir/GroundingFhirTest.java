package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.Assertion;
import io.tessera.core.Code;
import io.tessera.core.Grid;
import io.tessera.core.GroundedFinding;
import io.tessera.core.LabelMap;
import io.tessera.core.Laterality;
import io.tessera.core.ModelIdentity;
import io.tessera.core.ReportFinding;
import io.tessera.core.Segmentation;
import io.tessera.core.Uids;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report grounding in FHIR: one Observation per located finding, identified by the tracking UID the SEG and SR carry. */
class GroundingFhirTest {
    static final ModelIdentity GROUNDER = new ModelIdentity("tessera-grounding", "0.3.0", null, "CPU");
    static final String GROUNDING_SEG_SERIES = "1.2.826.0.1.3680043.8.498.10011";
    static final String GROUNDING_SEG_SOP = "1.2.826.0.1.3680043.8.498.10012";
    static final String SR_SERIES = "1.2.826.0.1.3680043.8.498.10013";
    static final String SR_SOP = "1.2.826.0.1.3680043.8.498.10014";

    private final Segmentation seg = TestResults.segmentation();
    private final List<GroundedFinding> findings = findings(seg.labels().grid());
    private final FhirResultSet set = map(GROUNDER);

    /** A result set with grounded report findings, for tests elsewhere in this package. */
    FhirResultSet groundedSet() {
        return set;
    }

    private FhirResultSet map(ModelIdentity grounder) {
        return TestResults.MAPPER.map(seg, TestResults.segReference(), TestResults.ISSUED, 1, new GroundingResult(grounder,
                findings, SegReference.segmentation(GROUNDING_SEG_SERIES, GROUNDING_SEG_SOP, 902,
                "AI grounded report findings - not for clinical use"),
                GroundingResult.sr(SR_SERIES, SR_SOP, 903, "AI measurements - NOT FOR CLINICAL USE")));
    }

    static List<GroundedFinding> findings(Grid g) {
        ReportFinding nodule = new ReportFinding(0, "8 mm nodule in the right lower lobe", Code.sct("27925004", "Nodule"),
                Code.sct("266005", "Lower lobe of right lung"), Laterality.RIGHT, Assertion.PRESENT, new double[] {8});
        ReportFinding lesion = new ReportFinding(1, "possible lesion in the left kidney", Code.sct("52988006", "Lesion"),
                Code.sct("64033007", "Kidney"), Laterality.LEFT, Assertion.UNCERTAIN, null);
        ReportFinding cyst = new ReportFinding(2, "small cyst in the spleen", Code.sct("441457006", "Cyst"),
                Code.sct("78961009", "Spleen"), Laterality.UNSPECIFIED, Assertion.PRESENT, null);
        ReportFinding effusion = new ReportFinding(3, "no pleural effusion", Code.sct("60046008", "Pleural effusion"), null,
                Laterality.UNSPECIFIED, Assertion.ABSENT, null);
        LabelMap a = LabelMap.empty(g);
        a.labels()[g.index(1, 1, 1)] = 1;
        LabelMap b = LabelMap.empty(g);
        b.labels()[g.index(2, 2, 1)] = 1;
        b.labels()[g.index(2, 2, 2)] = 1;
        return List.of(
                new GroundedFinding(nodule, "finding-1", uid(0), true, null, a, null, null, 0.92, 0.5, 8.04, "segmentation+lesion"),
                new GroundedFinding(lesion, "finding-2", uid(1), true, null, b, null, null, 0.4, 1.0, 12.25, "segmentation+lesion"),
                GroundedFinding.notGrounded(cyst, "finding-3", uid(2), "no lesion candidate in the spleen"),
                GroundedFinding.notGrounded(effusion, "finding-4", uid(3), "negated in the report"));
    }

    static String uid(int i) {
        return Uids.derive("fhir-fixture-finding", Integer.toString(i));
    }

    private List<Observation> findingObservations() {
        return set.observations().stream().filter(o -> o.getCode().getCodingFirstRep().getCode().matches("27925004|52988006")).toList();
    }

    @Test
    void one_observation_per_located_finding_identified_by_its_tracking_uid() {
        List<Observation> obs = findingObservations();
        assertEquals(2, obs.size(), "the cyst was not located and the effusion is negated");
        assertEquals(2 + 2, set.observations().size(), "two organ volumes and two findings");
        for (int i = 0; i < 2; i++) {
            Observation o = obs.get(i);
            assertEquals(FhirIds.DICOM_UID_SYSTEM, o.getIdentifierFirstRep().getSystem());
            assertEquals("urn:oid:" + findings.get(i).trackingUid(), o.getIdentifierFirstRep().getValue());
            assertEquals(FhirIds.id("Observation", findings.get(i).trackingUid()), o.getIdElement().getIdPart());
            assertEquals(Observation.ObservationStatus.PRELIMINARY, o.getStatus());
            assertEquals("ImagingStudy/" + set.imagingStudy().getIdElement().getIdPart(), o.getDerivedFromFirstRep().getReference());
            assertEquals(findings.get(i).finding().phrase(), o.getNoteFirstRep().getText());
        }
        Observation nodule = obs.get(0);
        assertEquals("http://snomed.info/sct", nodule.getCode().getCodingFirstRep().getSystem());
        assertEquals("Nodule in lower lobe of right lung", nodule.getCode().getText());
        assertEquals("266005", nodule.getBodySite().getCodingFirstRep().getCode());
        Quantity size = nodule.getValueQuantity();
        assertEquals(new BigDecimal("8.0"), size.getValue());
        assertEquals("mm", size.getCode());
        assertEquals("http://unitsofmeasure.org", size.getSystem());
        assertEquals(new BigDecimal("0.500"), component(nodule, "118565006").getValueQuantity().getValue());
        assertEquals("mL", component(nodule, "118565006").getValueQuantity().getCode());
        assertEquals("24028007", component(nodule, "272741003").getValueCodeableConcept().getCodingFirstRep().getCode());
        assertTrue(nodule.getInterpretation().isEmpty());
    }

    @Test
    void an_uncertain_finding_is_interpreted_indeterminate_and_its_side_is_in_the_body_site_text() {
        Observation lesion = findingObservations().get(1);
        CodeableConcept interpretation = lesion.getInterpretationFirstRep();
        assertEquals("IND", interpretation.getCodingFirstRep().getCode());
        assertEquals("left kidney", lesion.getBodySite().getText());
        assertEquals("7771000", component(lesion, "272741003").getValueCodeableConcept().getCodingFirstRep().getCode());
    }

    @Test
    void findings_are_device_of_the_grounder_and_results_of_the_study_report() {
        assertEquals(1, set.otherDevices().size());
        String grounderDevice = "Device/" + set.otherDevices().get(0).getIdElement().getIdPart();
        for (Observation o : findingObservations()) assertEquals(grounderDevice, o.getDevice().getReference());
        assertEquals("urn:oid:" + Uids.deviceUid("tessera-grounding", "0.3.0"),
                set.otherDevices().get(0).getIdentifierFirstRep().getValue(), "same Device UID as the SEG and the SR");
        DiagnosticReport r = set.report();
        List<String> results = r.getResult().stream().map(Reference::getReference).toList();
        for (Observation o : set.observations()) assertTrue(results.contains("Observation/" + o.getIdElement().getIdPart()));
        assertEquals(List.of("27925004", "52988006"),
                r.getConclusionCode().stream().map(c -> c.getCodingFirstRep().getCode()).toList());
        assertTrue(r.getConclusion().contains("Nodule in lower lobe of right lung: 8.0 mm, 0.500 mL"), r.getConclusion());
        assertTrue(r.getConclusion().contains("not located: Cyst in spleen (no lesion candidate in the spleen)"), r.getConclusion());
        assertFalse(r.getConclusion().toLowerCase().contains("effusion"), r.getConclusion());
        assertTrue(r.getConclusion().endsWith(FindingsMapper.DISCLAIMER));
        String text = new String(r.getPresentedFormFirstRep().getData(), StandardCharsets.UTF_8);
        assertTrue(text.contains("Report grounding by tessera-grounding 0.3.0"), text);
    }

    @Test
    void the_imaging_study_lists_the_grounding_seg_and_the_sr() {
        ImagingStudy s = set.imagingStudy();
        List<String> series = s.getSeries().stream().map(ImagingStudy.ImagingStudySeriesComponent::getUid).toList();
        assertEquals(List.of(TestResults.SERIES_UID, TestResults.SEG_SERIES_UID, GROUNDING_SEG_SERIES, SR_SERIES), series);
        assertEquals("SR", s.getSeries().get(3).getModality().getCode());
        assertEquals("urn:oid:" + GroundingResult.COMPREHENSIVE_3D_SR, s.getSeries().get(3).getInstanceFirstRep().getSopClass().getCode());
        assertEquals(4, s.getNumberOfSeries());
        assertEquals(3 + 1 + 1 + 1, s.getNumberOfInstances());
    }

    @Test
    void same_inputs_give_identical_resources_and_the_bundle_reads_back() {
        assertEquals(set.resourcesJson(), map(GROUNDER).resourcesJson());
        FhirResultSet back = FhirResultSet.fromBundle(set.toBundle("https://tessera.example/fhir"));
        assertEquals(set.references(), back.references());
        assertEquals(1, back.otherDevices().size());
    }

    @Test
    void a_stored_set_serves_the_finding_observations_and_the_grounder_device_after_a_restart(@TempDir Path dir) throws Exception {
        assertTrue(TestStores.repository(dir).store(set).isPresent());
        FhirRepository reopened = TestStores.repository(dir);
        for (Observation o : findingObservations()) {
            String json = reopened.readJson("Observation", o.getIdElement().getIdPart()).orElseThrow();
            assertTrue(json.contains(o.getIdentifierFirstRep().getValue()), json);
        }
        assertTrue(reopened.readJson("Device", set.otherDevices().get(0).getIdElement().getIdPart()).isPresent());
        assertTrue(reopened.readJson("Device", set.device().getIdElement().getIdPart()).isPresent());
    }

    @Test
    void a_grounder_that_is_the_model_adds_no_device() {
        FhirResultSet same = map(seg.model());
        assertTrue(same.otherDevices().isEmpty());
        String model = "Device/" + same.device().getIdElement().getIdPart();
        for (Observation o : same.observations()) assertEquals(model, o.getDevice().getReference());
    }

    @Test
    void every_resource_and_the_bundle_validate_without_errors() {
        FhirValidator validator = FhirValidator.shared();
        List<String> errors = new ArrayList<>();
        for (Resource r : set.resources()) errors.addAll(validator.errors(r));
        set.resourcesJson().values().forEach(json -> errors.addAll(validator.errors(json)));
        Bundle bundle = set.toBundle("https://tessera.example/fhir");
        errors.addAll(validator.errors(bundle));
        for (Observation o : findingObservations()) validator.messages(o).forEach(m -> System.out.println("validator: " + m));
        assertEquals(List.of(), errors);
    }

    private static Observation.ObservationComponentComponent component(Observation o, String code) {
        return o.getComponent().stream().filter(c -> code.equals(c.getCode().getCodingFirstRep().getCode())).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + code));
    }
}
