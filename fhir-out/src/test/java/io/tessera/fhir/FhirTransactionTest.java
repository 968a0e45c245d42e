package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class FhirTransactionTest {
    @Test
    void every_entry_is_a_conditional_create_on_its_identifier_and_references_point_at_full_urls() {
        FhirResultSet set = TestResults.resultSet();
        Bundle b = FhirTransaction.bundle(set);
        assertEquals(Bundle.BundleType.TRANSACTION, b.getType());
        assertEquals(set.references().size() - 1, b.getEntry().size(), "all but the Provenance, which stays with Tessera");
        Set<String> fullUrls = new HashSet<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            assertTrue(e.getFullUrl().startsWith("urn:uuid:"), e.getFullUrl());
            fullUrls.add(e.getFullUrl());
            String type = e.getResource().fhirType();
            if (FhirTransaction.UPDATED.contains(type)) { // results: conditional update, so a later version amends them
                assertEquals(Bundle.HTTPVerb.PUT, e.getRequest().getMethod());
                assertTrue(e.getRequest().getUrl().startsWith(type + "?identifier="), e.getRequest().getUrl());
            } else { // the hospital's Patient and a model version's Device: created only when missing
                assertEquals(Bundle.HTTPVerb.POST, e.getRequest().getMethod());
                assertEquals(type, e.getRequest().getUrl());
                assertTrue(e.getRequest().getIfNoneExist().startsWith("identifier="), e.getRequest().getIfNoneExist());
            }
            assertFalse(e.getResource().hasId(), "the server assigns ids");
        }
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            for (Reference r : FhirContexts.r4().newTerser().getAllPopulatedChildElementsOfType(e.getResource(), Reference.class)) {
                if (r.getReference() == null) continue;
                assertFalse(set.references().contains(r.getReference()), "internal reference left as Type/id: " + r.getReference());
                if (r.getReference().startsWith("urn:uuid:")) assertTrue(fullUrls.contains(r.getReference()), r.getReference());
            }
        }
        String observationCondition = b.getEntry().stream().filter(e -> e.getResource().fhirType().equals("Observation"))
                .findFirst().orElseThrow().getRequest().getUrl();
        assertTrue(observationCondition.startsWith("Observation?identifier=urn%3Adicom%3Auid|urn%3Aoid%3A"), observationCondition);
    }

    @Test
    void a_second_study_version_pushes_the_amended_report_and_retracts_the_first_versions_observations(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        FhirRepository repo = TestStores.repository(dir);
        repo.store(TestResults.resultSet());
        FhirResultSet v2 = TestResults.MAPPER.map(TestResults.segmentation(),
                TestResults.segReference(TestResults.SEG_SOP_UID + ".2"), TestResults.ISSUED.plusSeconds(60), 2);
        FhirResultSet pushed = repo.store(v2).orElseThrow();
        Bundle b = FhirTransaction.bundle(pushed);
        assertEquals(v2.references().size() - 1 + 2, b.getEntry().size(), "the two superseded Observations ride along");
        long retracted = b.getEntry().stream().filter(e -> e.getResource() instanceof org.hl7.fhir.r4.model.Observation o
                && o.getStatus() == org.hl7.fhir.r4.model.Observation.ObservationStatus.ENTEREDINERROR).count();
        assertEquals(2, retracted);
        org.hl7.fhir.r4.model.DiagnosticReport report = b.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource).filter(r -> r instanceof org.hl7.fhir.r4.model.DiagnosticReport)
                .map(r -> (org.hl7.fhir.r4.model.DiagnosticReport) r).findFirst().orElseThrow();
        assertEquals(org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus.AMENDED, report.getStatus());
        assertEquals(List.of(), FhirValidator.shared().errors(b));
    }

    @Test
    void the_bundle_is_the_same_every_time_it_is_built() {
        assertEquals(FhirTransaction.json(TestResults.resultSet()), FhirTransaction.json(TestResults.resultSet()));
    }

    @Test
    void the_transaction_bundle_validates_without_errors() {
        List<String> errors = FhirValidator.shared().errors(FhirTransaction.bundle(TestResults.resultSet()));
        assertEquals(List.of(), errors);
    }

    @Test
    void an_operation_outcome_becomes_a_readable_reason() {
        String oo = """
                {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing",
                 "diagnostics":"Observation.code: minimum required = 1"}]}""";
        assertEquals("OperationOutcome [ERROR PROCESSING: Observation.code: minimum required = 1]", FhirPusher.outcome(oo));
        assertEquals("<html>Bad gateway</html>", FhirPusher.outcome("<html>Bad gateway</html>"));
    }
}
