package io.tessera.dicomio;

import io.tessera.core.ModelIdentity;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * Identity and labelling of a measurement report written by {@link MeasurementReportWriter}.
 *
 * @param deviceUid       Device Observer UID: the grounder's {@code Uids.deviceUid}, as in the SEG and the FHIR Device
 * @param contentDateTime Content Date/Time; {@code null} means now
 */
public record SrSpec(
        String seriesInstanceUid,
        String sopInstanceUid,
        int seriesNumber,
        String seriesDescription,
        String manufacturer,
        String deviceUid,
        String deviceSerialNumber,
        int instanceNumber,
        LocalDateTime contentDateTime) {

    public static final int SERIES_NUMBER = 903;

    public SrSpec {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(deviceUid, "deviceUid");
        manufacturer = manufacturer == null ? "Tessera" : manufacturer;
        deviceSerialNumber = deviceSerialNumber == null || deviceSerialNumber.isBlank() ? "1" : deviceSerialNumber;
        if (seriesNumber < 1 || instanceNumber < 1) throw new IllegalArgumentException("series/instance number from 1");
    }

    /**
     * Deterministic identity of the measurement report of {@code grounder} on {@code source} at {@code studyVersion}:
     * (study, source series, study version, grounder name and version, "sr-series"); the SOP UID from the series UID.
     */
    public static SrSpec forGrounding(SourceSeries source, ModelIdentity grounder, String studyVersion) {
        String series = Uids.derive(source.study().studyInstanceUid(), source.seriesInstanceUid(), studyVersion,
                grounder.name(), grounder.version(), "sr-series");
        String description = "AI measurements - NOT FOR CLINICAL USE - " + grounder.name();
        if (description.length() > 64) description = description.substring(0, 64);
        String serial = grounder.sha256() == null || grounder.sha256().isBlank() ? "1"
                : grounder.sha256().substring(0, Math.min(16, grounder.sha256().length()));
        return new SrSpec(series, Uids.derive(series, "sr"), SERIES_NUMBER, description, "Tessera",
                SegSpec.deviceUid(grounder), serial, 1, null);
    }

    /**
     * Identity of the classification report of {@code model} on one image of {@code source}: one SR per classified
     * image, so its UIDs also depend on the image's SOP Instance UID; series number 904.
     */
    public static SrSpec forClassification(SourceSeries source, ModelIdentity model, String studyVersion, String imageSopUid) {
        SrSpec g = forGrounding(source, model, studyVersion);
        String series = Uids.derive(g.seriesInstanceUid(), "classification", imageSopUid);
        String description = "AI classification - NOT FOR CLINICAL USE - " + model.name();
        if (description.length() > 64) description = description.substring(0, 64);
        return new SrSpec(series, Uids.derive(series, "sr"), 904, description, g.manufacturer(), g.deviceUid(),
                g.deviceSerialNumber(), 1, null);
    }

    /**
     * Identity of the measurement report of one prompted region: derived from its SEG's series UID (itself derived
     * from the frame and the prompt), so the same prompt posted twice gives the same SR; series number 905.
     */
    public static SrSpec forPromptedRegion(SourceSeries source, ModelIdentity model, String studyVersion, String segSeriesUid) {
        SrSpec g = forGrounding(source, model, studyVersion);
        String series = Uids.derive(segSeriesUid, "prompted-region-sr");
        String description = "AI prompted region - NOT FOR CLINICAL USE - " + model.name();
        if (description.length() > 64) description = description.substring(0, 64);
        return new SrSpec(series, Uids.derive(series, "sr"), 905, description, g.manufacturer(), g.deviceUid(),
                g.deviceSerialNumber(), 1, null);
    }
}
