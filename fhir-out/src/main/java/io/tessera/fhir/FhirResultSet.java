package io.tessera.fhir;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

/**
 * The FHIR resources for one model's result on one series of one study version: Patient, ImagingStudy, Device,
 * one Observation per non-empty segment and the DiagnosticReport that ties them together; with report grounding also
 * the grounder's Device (when it is not the model) and one Observation per located report finding.
 *
 * <p>{@link #key()} names the result slot (study, source series, model name and version) and stays the same across
 * study versions, so a newer version's set replaces the older one. Resources are shared with callers: treat them as
 * read-only.
 */
public final class FhirResultSet {
    static final String TAG_STUDY_UID = "urn:tessera:study-instance-uid";
    static final String TAG_STUDY_VERSION = "urn:tessera:study-version";
    static final String TAG_RESULT_SET = "urn:tessera:result-set";

    private final String key;
    private final String studyInstanceUid;
    private final int studyVersion;
    private final Patient patient;
    private final ImagingStudy imagingStudy;
    private final Device device;
    private final List<Device> otherDevices;
    private final List<Observation> observations;
    private final DiagnosticReport report;
    private final List<Resource> retracted;

    FhirResultSet(String key, String studyInstanceUid, int studyVersion, Patient patient, ImagingStudy imagingStudy,
                  Device device, List<Observation> observations, DiagnosticReport report) {
        this(key, studyInstanceUid, studyVersion, patient, imagingStudy, device, List.of(), observations, report);
    }

    /** {@code otherDevices}: further devices the observations name, e.g. the report grounding method beside the model. */
    FhirResultSet(String key, String studyInstanceUid, int studyVersion, Patient patient, ImagingStudy imagingStudy,
                  Device device, List<Device> otherDevices, List<Observation> observations, DiagnosticReport report) {
        this.otherDevices = List.copyOf(otherDevices);
        this.key = Objects.requireNonNull(key);
        this.studyInstanceUid = Objects.requireNonNull(studyInstanceUid);
        this.studyVersion = studyVersion;
        this.patient = patient;
        this.imagingStudy = imagingStudy;
        this.device = device;
        this.observations = List.copyOf(observations);
        this.report = report;
        this.retracted = List.of();
        this.observations.forEach(AiLabels::label);
        if (report != null) AiLabels.label(report);
    }

    private FhirResultSet(FhirResultSet base, DiagnosticReport report, List<Resource> retracted) {
        this.key = base.key;
        this.studyInstanceUid = base.studyInstanceUid;
        this.studyVersion = base.studyVersion;
        this.patient = base.patient;
        this.imagingStudy = base.imagingStudy;
        this.device = base.device;
        this.otherDevices = base.otherDevices;
        this.observations = base.observations;
        this.report = report;
        this.retracted = List.copyOf(retracted);
    }

    /**
     * This set as the store keeps it: the report as stored (e.g. {@code amended}) and the resources of the superseded
     * study version it retracted, which a push must carry to the EHR too.
     */
    FhirResultSet asStored(DiagnosticReport storedReport, List<Resource> retractedResources) {
        return new FhirResultSet(this, storedReport, retractedResources);
    }

    /** Superseded results this set retracts ({@code entered-in-error}); empty for a first version. */
    public List<Resource> retracted() { return retracted; }

    public String key() { return key; }

    public String studyInstanceUid() { return studyInstanceUid; }

    public int studyVersion() { return studyVersion; }

    /** Logical id of the DiagnosticReport. */
    public String reportId() { return report.getIdElement().getIdPart(); }

    /** {@code Type/id} of every resource, Patient first, then the DiagnosticReport and its Provenance. */
    public List<String> references() {
        List<String> out = new ArrayList<>();
        for (Resource r : resources()) out.add(r.fhirType() + "/" + r.getIdElement().getIdPart());
        return out;
    }

    /** Each resource as JSON, keyed by {@code Type/id}, in {@link #references()} order. */
    public Map<String, String> resourcesJson() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Resource r : resources()) {
            out.put(r.fhirType() + "/" + r.getIdElement().getIdPart(),
                    FhirContexts.r4().newJsonParser().encodeResourceToString(r));
        }
        return out;
    }

    /** A {@code collection} Bundle of all resources, full URLs under {@code baseUrl} (e.g. {@code https://host/fhir}). */
    public String bundleJson(String baseUrl) {
        return FhirContexts.r4().newJsonParser().setPrettyPrint(true).encodeResourceToString(toBundle(baseUrl));
    }

    Patient patient() { return patient; }

    ImagingStudy imagingStudy() { return imagingStudy; }

    Device device() { return device; }

    List<Device> otherDevices() { return otherDevices; }

    List<Observation> observations() { return observations; }

    DiagnosticReport report() { return report; }

    List<Resource> resources() {
        List<Resource> out = new ArrayList<>();
        out.add(patient);
        out.add(imagingStudy);
        out.add(device);
        out.addAll(otherDevices);
        out.addAll(observations);
        out.add(report);
        out.add(ResultProvenance.of(this));
        return out;
    }

    Bundle toBundle(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        Bundle b = new Bundle().setType(Bundle.BundleType.COLLECTION);
        b.getMeta().addTag(new Coding(TAG_RESULT_SET, key, null));
        b.getMeta().addTag(new Coding(TAG_STUDY_UID, studyInstanceUid, null));
        b.getMeta().addTag(new Coding(TAG_STUDY_VERSION, Integer.toString(studyVersion), null));
        b.setTimestamp(report.getIssued());
        for (Resource r : resources()) {
            b.addEntry().setFullUrl(base + "/" + r.fhirType() + "/" + r.getIdElement().getIdPart()).setResource(r);
        }
        return b;
    }

    /** Reads back what {@link #toBundle} wrote. */
    static FhirResultSet fromBundle(Bundle b) {
        String key = tag(b, TAG_RESULT_SET);
        String study = tag(b, TAG_STUDY_UID);
        int version = Integer.parseInt(tag(b, TAG_STUDY_VERSION));
        Patient patient = null;
        ImagingStudy imagingStudy = null;
        Device device = null;
        List<Device> otherDevices = new ArrayList<>();
        DiagnosticReport report = null;
        List<Observation> observations = new ArrayList<>();
        for (Bundle.BundleEntryComponent e : b.getEntry()) {
            Resource r = e.getResource();
            r.setId(r.fhirType() + "/" + r.getIdElement().getIdPart());
            if (r instanceof Patient p) patient = p;
            else if (r instanceof ImagingStudy s) imagingStudy = s;
            else if (r instanceof Device d && device == null) device = d; // written first by toBundle
            else if (r instanceof Device d) otherDevices.add(d);
            else if (r instanceof Observation o) observations.add(o);
            else if (r instanceof DiagnosticReport d) report = d;
            // the Provenance is made again from the rest (resources())
        }
        if (patient == null || imagingStudy == null || device == null || report == null) {
            throw new IllegalArgumentException("TSR-0601: stored result set " + key + " is incomplete");
        }
        return new FhirResultSet(key, study, version, patient, imagingStudy, device, otherDevices, observations, report);
    }

    private static String tag(Bundle b, String system) {
        for (Coding c : b.getMeta().getTag()) if (system.equals(c.getSystem())) return c.getCode();
        throw new IllegalArgumentException("TSR-0602: stored result set lacks tag " + system);
    }
}
