package io.tessera.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tessera.testkit.OrthancPeer;
import java.util.ArrayList;
import java.util.List;

/** What a real Orthanc holds of Tessera's SEGs for a study. */
final class OrthancSegs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OrthancSegs() {}

    /** The number of SEG instances Orthanc holds for the study. */
    static int count(OrthancPeer orthanc, String studyUid) throws Exception {
        int n = 0;
        for (JsonNode s : JSON.readTree(orthanc.findSeries(studyUid, "SEG"))) n += s.path("Instances").size();
        return n;
    }

    /** The SOP Instance UIDs of the SEG instances Orthanc holds for the study. */
    static List<String> sopInstanceUids(OrthancPeer orthanc, String studyUid) throws Exception {
        JsonNode instances = JSON.readTree(orthanc.post("/tools/find", "{\"Level\":\"Instance\",\"Expand\":true,\"Query\":"
                + "{\"StudyInstanceUID\":\"" + studyUid + "\",\"Modality\":\"SEG\"}}").body());
        List<String> uids = new ArrayList<>();
        for (JsonNode i : instances) uids.add(i.path("MainDicomTags").path("SOPInstanceUID").asText());
        return uids;
    }
}
