package io.tessera.fhir;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The HAPI instance validator against the base R4 profiles, offline: code systems HAPI knows (UCUM, MIME types,
 * languages, HL7 terminology) are checked, SNOMED CT and LOINC codes are not (no terminology server).
 *
 * <p>One per JVM ({@link #shared()}): the first validation loads the R4 definitions, about 13 s; later ones take
 * milliseconds. Thread-safe.
 */
public final class FhirValidator {
    private static final class Holder {
        static final FhirValidator INSTANCE = new FhirValidator();
    }

    private final ca.uhn.fhir.validation.FhirValidator validator;

    private FhirValidator() {
        var ctx = FhirContexts.r4();
        var chain = new ValidationSupportChain(
                newerTerminology(ctx),
                new DefaultProfileValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx));
        validator = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    /**
     * Codes Tessera uses that HL7 Terminology added after FHIR R4 was published, as a fragment of their code system at
     * the release that added them: {@code v3-ObservationValue#AIAST} (HL7 Terminology 6.0.0), the AI Transparency
     * label. Without it R4's older copy of the code system calls the code unknown.
     */
    private static org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport newerTerminology(
            ca.uhn.fhir.context.FhirContext ctx) {
        var cs = new org.hl7.fhir.r4.model.CodeSystem();
        cs.setUrl(AiLabels.SYSTEM).setVersion(AiLabels.VERSION).setName("ObservationValue")
                .setStatus(org.hl7.fhir.r4.model.Enumerations.PublicationStatus.ACTIVE)
                .setContent(org.hl7.fhir.r4.model.CodeSystem.CodeSystemContentMode.FRAGMENT);
        cs.addConcept().setCode(AiLabels.AI_ASSERTED).setDisplay("Artificial Intelligence asserted");
        var support = new org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport(ctx);
        support.addCodeSystem(cs);
        return support;
    }

    public static FhirValidator shared() {
        return Holder.INSTANCE;
    }

    /**
     * ERROR and FATAL messages for a resource given as JSON (or XML); empty when it is valid. The text itself is
     * validated, so values a parser would reject (unknown codes, bad dates) are reported rather than thrown.
     */
    public List<String> errors(String resource) {
        return errorsOf(validator.validateWithResult(resource));
    }

    /** ERROR and FATAL messages, each as {@code SEVERITY location: message}. */
    public List<String> errors(IBaseResource resource) {
        return errorsOf(validate(resource));
    }

    private static List<String> errorsOf(ValidationResult result) {
        List<String> out = new ArrayList<>();
        for (SingleValidationMessage m : result.getMessages()) {
            if (m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()) out.add(format(m));
        }
        return out;
    }

    /** Every message, warnings and information included. */
    public List<String> messages(IBaseResource resource) {
        List<String> out = new ArrayList<>();
        for (SingleValidationMessage m : validate(resource).getMessages()) out.add(format(m));
        return out;
    }

    private ValidationResult validate(IBaseResource resource) {
        return validator.validateWithResult(resource);
    }

    private static String format(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
    }
}
