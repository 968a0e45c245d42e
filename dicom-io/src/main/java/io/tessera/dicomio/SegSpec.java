package io.tessera.dicomio;

import io.tessera.core.ModelIdentity;
import io.tessera.core.SourceSeries;
import io.tessera.core.Uids;
import java.time.LocalDateTime;
import java.util.Objects;

/**
 * Identity and labelling of a SEG written by {@link SegWriter}.
 *
 * @param softwareVersion   Tessera's version (the model's version goes into the algorithm identification)
 * @param deviceUid         Device UID of the model version (Contributing Equipment; same as the FHIR Device identifier)
 * @param contentLabel      upper-case CS, at most 16 characters
 * @param contentDateTime   Content Date/Time; {@code null} means now
 */
public record SegSpec(
        String seriesInstanceUid,
        String sopInstanceUid,
        int seriesNumber,
        String seriesDescription,
        String manufacturer,
        String softwareVersion,
        String deviceUid,
        String deviceSerialNumber,
        String contentLabel,
        int instanceNumber,
        String contentCreatorName,
        LocalDateTime contentDateTime) {

    public static final String TESSERA_VERSION = "0.1.0";

    public SegSpec {
        Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(deviceUid, "deviceUid");
        contentLabel = contentLabel == null || contentLabel.isBlank() ? "SEGMENTATION" : contentLabel;
        contentLabel = contentLabel.toUpperCase().replaceAll("[^A-Z0-9_ ]", "_");
        if (contentLabel.length() > 16) contentLabel = contentLabel.substring(0, 16);
        manufacturer = manufacturer == null ? "Tessera" : manufacturer;
        softwareVersion = softwareVersion == null ? TESSERA_VERSION : softwareVersion;
        deviceSerialNumber = deviceSerialNumber == null || deviceSerialNumber.isBlank() ? "1" : deviceSerialNumber;
        if (seriesNumber < 1 || instanceNumber < 1) throw new IllegalArgumentException("series/instance number from 1");
    }

    /** The default description: says AI-generated and not for clinical use, and names the model (LO: max 64). */
    public static String defaultDescription(ModelIdentity model) {
        String s = "AI generated - NOT FOR CLINICAL USE - " + model.name();
        return s.length() > 64 ? s.substring(0, 64) : s;
    }

    /**
     * Deterministic identity for the SEG of {@code model} on {@code source} at {@code studyVersion}: a redelivery after a
     * crash re-creates the same UIDs (docs/design.md, "Identity and UIDs"). The Device UID depends on model name and version only.
     */
    public static SegSpec forModel(SourceSeries source, ModelIdentity model, String studyVersion) {
        String series = Uids.derive(source.study().studyInstanceUid(), source.seriesInstanceUid(), studyVersion,
                model.name(), model.version(), "seg-series");
        String sop = Uids.derive(series, "seg");
        String serial = model.sha256() == null || model.sha256().isBlank() ? "1"
                : model.sha256().substring(0, Math.min(16, model.sha256().length()));
        return new SegSpec(series, sop, 901, defaultDescription(model), "Tessera", TESSERA_VERSION,
                deviceUid(model), serial, "SEGMENTATION", 1, "Tessera^" + model.name(), null);
    }

    public static String deviceUid(ModelIdentity model) {
        return Uids.deviceUid(model.name(), model.version());
    }
}
