package io.tessera.fhir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.utilities.FhirPublication;
import org.hl7.fhir.validation.ValidationEngine;

/**
 * Runs the official HL7 validator ({@code org.hl7.fhir.validation}'s ValidationEngine, as its command line does) on
 * JSON files, without a terminology server; prints one line per issue, {@code SEVERITY file location: message}. Run
 * in its own JVM with {@code user.home} set to an {@link OfficialValidatorHome} (the validator's package cache).
 */
public final class OfficialValidatorMain {
    private OfficialValidatorMain() {}

    public static void main(String[] args) throws Exception {
        ValidationEngine engine = new ValidationEngine.ValidationEngineBuilder().withVersion("4.0.1")
                .withTxServer(null, null, FhirPublication.R4, true).withCanRunWithoutTerminologyServer(true)
                .fromSource(OfficialValidatorHome.CORE);
        for (String file : args) {
            OperationOutcome oo = engine.validate(Files.readAllBytes(Path.of(file)), Manager.FhirFormat.JSON,
                    java.util.List.of(), new ArrayList<>());
            for (OperationOutcome.OperationOutcomeIssueComponent i : oo.getIssue()) {
                System.out.println("ISSUE " + i.getSeverity() + " " + Path.of(file).getFileName() + " "
                        + i.getExpressionOrLocation() + ": " + i.getDetails().getText().replace('\n', ' '));
            }
        }
    }
}
