package io.tessera.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Things a valid configuration does that its author may not expect: settings that take no effect as written.
 * {@code tessera config check} prints them and the server logs them at start, so nothing is silently off.
 */
public final class ConfigNotes {
    private ConfigNotes() {}

    public static List<String> of(TesseraConfig config) {
        List<String> notes = new ArrayList<>();
        Hl7Config hl7 = config.hl7();
        Hl7Config defaults = Hl7Config.defaults();
        if (hl7 != null && !hl7.enabled() && (hl7.port() != defaults.port() || !hl7.bindAddress().equals(defaults.bindAddress())
                || !hl7.accessionField().equals(defaults.accessionField()) || (hl7.tls() != null && hl7.tls().enabled()))) {
            notes.add("hl7: the section is configured (" + hl7.bindAddress() + ":" + hl7.port() + ") but hl7.enabled is false:"
                    + " no HL7/MLLP report listener is started; set hl7.enabled: true to receive ORU reports");
        }
        return notes;
    }
}
