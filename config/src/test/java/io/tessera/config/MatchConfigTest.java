package io.tessera.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatchConfigTest {
    @TempDir
    Path dir;

    private TesseraConfig load(String match, List<String> args) throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, """
                destinations: [ { name: results, type: folder, path: ./results } ]
                routes:
                  - { name: ct, match: %s, models: [m], destinations: [results] }
                """.formatted(match));
        return new ConfigLoader().load(f, Map.of(), args, x -> Set.of("m"));
    }

    @Test
    void absent_eligibility_keys_default_by_the_kind_of_rule() throws Exception {
        MatchConfig m = load("{ modality: CT }", List.of()).routes().get(0).match();
        assertNull(m.includeLocalizers());
        assertNull(m.minSlices());
        // a rule with models: only axial series of 8 slices or more, no localizers, no Secondary Captures
        assertFalse(m.includeLocalizersOr(true));
        assertFalse(m.includeSecondaryCapturesOr(true));
        assertEquals(List.of("axial"), m.planesOr(true));
        assertEquals(8, m.minSlicesOr(true));
        // a forward-only rule: everything, as received
        assertTrue(m.includeLocalizersOr(false));
        assertTrue(m.includeSecondaryCapturesOr(false));
        assertEquals(List.of(), m.planesOr(false));
        assertEquals(1, m.minSlicesOr(false));
    }

    @Test
    void every_eligibility_key_maps_from_yaml_and_the_command_line() throws Exception {
        MatchConfig m = load("{ modality: CT, includeLocalizers: true, planes: [axial, sagittal] }",
                List.of("--routes[0].match.includeSecondaryCaptures=true", "--routes[0].match.minSlices=1"))
                .routes().get(0).match();
        assertEquals(new MatchConfig("CT", null, null, null, null).withEligibility(true, true, List.of("axial", "sagittal"), 1), m);
        assertTrue(m.includeLocalizersOr(true));
        assertTrue(m.includeSecondaryCapturesOr(true));
        assertEquals(1, m.minSlicesOr(true));
    }

    @Test
    void a_bad_plane_or_slice_count_is_a_violation_with_its_path() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("{ modality: CT, planes: [axial, oblique], minSlices: 0 }", List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("routes[0].match.minSlices: must be at least 1"), all);
        assertTrue(all.contains("routes[0].match.planes[1].<list element>: must be axial, coronal or sagittal")
                || all.contains("routes[0].match.planes[1]: must be axial, coronal or sagittal"), all);
    }
}
