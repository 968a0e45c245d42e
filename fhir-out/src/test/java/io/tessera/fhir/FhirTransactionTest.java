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
        assertEquals(set.references().size(), b.getEntry().size());
        Set<String> fullUrls = new HashSet<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            assertTrue(e.getFullUrl().startsWith("urn:uuid:"), e.getFullUrl());
            fullUrls.add(e.getFullUrl());
            assertEquals(Bundle.HTTPVerb.POST, e.getRequest().getMethod());
            assertEquals(e.getResource().fhirType(), e.getRequest().getUrl());
            assertTrue(e.getRequest().getIfNoneExist().startsWith("identifier="), e.getRequest().getIfNoneExist());
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
                .findFirst().orElseThrow().getRequest().getIfNoneExist();
        assertTrue(observationCondition.startsWith("identifier=urn%3Adicom%3Auid|urn%3Aoid%3A"), observationCondition);
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
