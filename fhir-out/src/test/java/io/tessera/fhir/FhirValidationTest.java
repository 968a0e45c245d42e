package io.tessera.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** Every resource Tessera serves must pass the HAPI validator against base R4: a receiving EHR may refuse one that does not. */
class FhirValidationTest {
    private final FhirValidator validator = FhirValidator.shared();

    @Test
    void every_mapped_resource_and_the_bundle_validate_without_errors() {
        FhirResultSet set = TestResults.resultSet();
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Resource r : set.resources()) {
            errors.addAll(validator.errors(r));
            warnings.addAll(validator.messages(r));
        }
        Bundle bundle = set.toBundle("https://tessera.example/fhir");
        errors.addAll(validator.errors(bundle));
        warnings.addAll(validator.messages(bundle));
        warnings.forEach(w -> System.out.println("validator: " + w));
        assertEquals(List.of(), errors);
    }

    @Test
    void resources_served_as_json_validate_without_errors() {
        FhirResultSet set = TestResults.MAPPER.map(
                TestResults.segmentation(TestResults.study("1.2.3.4.5", "", ""), "1.2.3.4.5.6"),
                TestResults.segReference(), TestResults.ISSUED, 3);
        List<String> errors = new ArrayList<>();
        set.resourcesJson().values().forEach(json -> errors.addAll(validator.errors(json)));
        assertEquals(List.of(), errors);
        assertTrue(set.references().size() >= 5, "a result without patient id or accession still maps fully");
    }

    @Test
    void the_validator_reports_a_broken_resource() {
        List<String> errors = validator.errors("{\"resourceType\":\"Observation\",\"status\":\"guessed\"}");
        assertTrue(errors.stream().anyMatch(e -> e.contains("Observation.code")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.contains("status")), errors.toString());
    }
}
