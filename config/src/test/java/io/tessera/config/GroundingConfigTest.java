package io.tessera.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundingConfigTest {
    @TempDir Path dir;

    @Test
    void defaults_add_no_lexicon_terms() throws Exception {
        TesseraConfig c = new ConfigLoader().load(null, Map.of(), List.of());
        assertEquals(GroundingConfig.defaults(), c.grounding());
    }

    @Test
    void lexicon_terms_map_every_field() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, """
                grounding:
                  model: phantom-grounding
                  lexicon:
                    - { kind: site, phrase: hepar, sameAs: liver }
                    - { kind: finding, phrase: granuloma, code: "45647009", meaning: Granuloma }
                    - { kind: site, phrase: pancreatic tail, code: "73239005", meaning: Tail of pancreas, organ: pancreas }
                    - { kind: negation, phrase: absence of }
                """);
        GroundingConfig g = new ConfigLoader().load(f, Map.of(), List.of()).grounding();
        assertEquals("phantom-grounding", g.model());
        List<LexiconTermConfig> terms = g.lexicon();
        assertEquals(new LexiconTermConfig("site", "hepar", "liver", null, null, null), terms.get(0));
        assertEquals(new LexiconTermConfig("finding", "granuloma", null, "45647009", "Granuloma", null), terms.get(1));
        assertEquals("pancreas", terms.get(2).organ());
        assertEquals("negation", terms.get(3).kind());
    }

    @Test
    void unknown_kind_and_uncoded_finding_are_violations_with_their_path() throws Exception {
        Path f = dir.resolve("tessera.yaml");
        Files.writeString(f, """
                grounding:
                  lexicon:
                    - { kind: colour, phrase: red }
                    - { kind: finding, phrase: blob }
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(f, Map.of(), List.of()));
        String all = String.join("\n", e.violations());
        assertTrue(all.contains("grounding.lexicon[0].kind: must be one of"), all);
        assertTrue(all.contains("grounding.lexicon[1].codedWhereNeeded: a finding or site needs sameAs"), all);
    }
}
