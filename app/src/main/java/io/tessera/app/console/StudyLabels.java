package io.tessera.app.console;

import io.tessera.dicomio.DicomHeaders;
import io.tessera.listener.InstanceRecord;
import io.tessera.listener.StudyIndex;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A study's patient ID and accession number, as its first received instance says, read once per study: the index
 * keeps no patient data, and the console needs them to be searched by.
 */
final class StudyLabels {
    record Labels(String patientId, String accession) {
        static final Labels NONE = new Labels("", "");

        boolean matches(String query) {
            String q = query.trim().toLowerCase(java.util.Locale.ROOT);
            return !q.isEmpty() && (patientId.toLowerCase(java.util.Locale.ROOT).contains(q)
                    || accession.toLowerCase(java.util.Locale.ROOT).contains(q));
        }
    }

    private final StudyIndex index;
    private final Map<String, Labels> cache = new ConcurrentHashMap<>();

    StudyLabels(StudyIndex index) {
        this.index = index;
    }

    Labels of(String studyUid) {
        Labels known = cache.get(studyUid);
        if (known != null) return known;
        List<InstanceRecord> instances = index.instances(studyUid);
        if (instances.isEmpty()) return Labels.NONE;
        try {
            Map<String, String> h = DicomHeaders.read(instances.get(0).path());
            Labels l = new Labels(h.getOrDefault("PatientID", ""), h.getOrDefault("AccessionNumber", ""));
            cache.put(studyUid, l);
            return l;
        } catch (java.io.IOException e) {
            return Labels.NONE; // a file gone (study purged): shown without labels, tried again next time
        }
    }
}
