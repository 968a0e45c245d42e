package io.tessera.fhir;

import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;

/**
 * What the site adds to every result: the system of its accession numbers (so an EHR matches them to its orders) and
 * the organisation that performs the results (a logical reference: name and, when given, its identifier
 * {@code system|value}). Null parts add nothing.
 */
record SiteIdentity(String accessionSystem, String organizationName, String organizationIdentifier) {
    static final SiteIdentity NONE = new SiteIdentity(null, null, null);

    DiagnosticReport apply(DiagnosticReport report, ImagingStudy study) {
        if (accessionSystem != null) {
            for (Reference order : report.getBasedOn()) accession(order.getIdentifier());
            for (Identifier id : study.getIdentifier()) accession(id);
        }
        if (organizationName != null || organizationIdentifier != null) {
            Reference org = new Reference().setType("Organization").setDisplay(organizationName);
            if (organizationIdentifier != null) {
                int bar = organizationIdentifier.indexOf('|');
                org.setIdentifier(bar < 0 ? new Identifier().setValue(organizationIdentifier)
                        : new Identifier().setSystem(organizationIdentifier.substring(0, bar))
                                .setValue(organizationIdentifier.substring(bar + 1)));
            }
            report.getPerformer().clear();
            report.addPerformer(org);
        }
        return report;
    }

    private void accession(Identifier id) {
        boolean isAccession = id.getType().getCoding().stream().anyMatch(c -> "ACSN".equals(c.getCode()));
        if (isAccession && !id.hasSystem()) id.setSystem(accessionSystem);
    }
}
