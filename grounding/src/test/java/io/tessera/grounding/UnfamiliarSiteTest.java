package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.core.Laterality;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sites in words the lexicon lacks, read by the shipped sentence encoder (all-MiniLM-L6-v2, really run): the word
 * lands on the organ it names, the side comes only from the text's left/right, anatomy the lexicon has no site for
 * ("bladder") and words that name no anatomy ("lesion", "nephric" below the bar) give no site, and a known site is never
 * second-guessed.
 */
class UnfamiliarSiteTest {
    static EmbeddingSiteGuesser guesser;
    static ReportParser parser;

    @BeforeAll
    static void load() throws Exception {
        guesser = EmbeddingSiteGuesser.open(Lexicon.builtIn());
        parser = new ReportParser(Lexicon.builtIn(), guesser);
    }

    @AfterAll
    static void close() {
        guesser.close();
    }

    private static ParsedFinding only(String report) {
        List<ParsedFinding> f = parser.parse(report).findings();
        assertEquals(1, f.size(), f.toString());
        return f.get(0);
    }

    @Test
    void an_organ_word_the_lexicon_lacks_lands_on_its_organ_and_says_so() {
        ParsedFinding f = only("Hypodense lesion in the intrahepatic parenchyma measuring 24 mm.");
        assertEquals(List.of("liver"), f.organs(), f.evidence().toString());
        assertEquals("10200004", f.finding().site().value());
        String line = f.evidence().stream().filter(e -> e.contains("not in the lexicon")).findFirst().orElseThrow(
                () -> new AssertionError(f.evidence().toString()));
        assertTrue(line.contains("intrahepatic") && line.contains("all-MiniLM-L6-v2") && line.contains("side only from the text"), line);
        System.out.println("unfamiliar site: " + line);

        ParsedFinding spleen = only("Small hypodense lesion near the splenic hilum.");
        // "splenic" is a lexicon synonym of the spleen already: the lexicon decides, no guess
        assertEquals(List.of("spleen"), spleen.organs());
        assertTrue(spleen.evidence().stream().noneMatch(e -> e.contains("not in the lexicon")), spleen.evidence().toString());
    }

    @Test
    void the_side_comes_from_the_text_never_from_the_guess() {
        // the parser's rule on its own: a guessed (unsided) kidney is sided by the text's word, or both kidneys
        Term kidney = Lexicon.builtIn().lookup("kidney").orElseThrow();
        Term leftKidney = Lexicon.builtIn().lookup("left kidney").orElseThrow();
        SiteGuesser saysKidney = words -> java.util.Optional.of(new SiteGuesser.Guess(words.get(0), kidney, "kidney", 0.7, "test"));
        SiteGuesser saysLeftKidney = words -> java.util.Optional.of(new SiteGuesser.Guess(words.get(0), leftKidney, "left kidney", 0.9, "test"));
        ReportParser p = new ReportParser(Lexicon.builtIn(), saysKidney);
        ParsedFinding left = p.parse("A 12 mm cyst in the left nephrogenic cortex.").findings().get(0);
        assertEquals(List.of("kidney_left"), left.organs(), left.evidence().toString());
        assertEquals(Laterality.LEFT, left.finding().laterality());
        ParsedFinding none = p.parse("A 12 mm cyst in the nephrogenic cortex.").findings().get(0);
        assertEquals(List.of("kidney_left", "kidney_right"), none.organs(), "no side word: both kidneys");
        assertEquals(Laterality.UNSPECIFIED, none.finding().laterality());
        // a guess that carries a side is not taken at all
        ParsedFinding sided = new ReportParser(Lexicon.builtIn(), saysLeftKidney).parse("A 12 mm cyst in the nephrogenic cortex.").findings().get(0);
        assertNull(sided.finding().site(), sided.evidence().toString());
        assertEquals(Laterality.UNSPECIFIED, sided.finding().laterality());
    }

    @Test
    void anatomy_elsewhere_and_words_that_name_no_organ_give_no_site() {
        // "intrarenal" is nearest to "adrenal" (not segmented): no guess rather than a wrong organ
        for (String report : List.of("Enhancing lesion in the urinary bladder wall.", "Nodule measuring 5 mm.",
                "Hypodense lesion in the stomach.", "Lesion abutting the vertebral body.", "Small intrarenal cyst.")) {
            ParsedFinding f = only(report);
            assertNull(f.finding().site(), report + " " + f.evidence());
            assertTrue(f.organs().isEmpty(), report + " " + f.evidence());
        }
    }

    @Test
    void without_a_guesser_such_findings_keep_no_site() {
        ParsedFinding f = new ReportParser(Lexicon.builtIn()).parse("Hypodense lesion in the intrahepatic parenchyma.").findings().get(0);
        assertNull(f.finding().site());
        assertTrue(ReportParser.unmatchedWords(Tokenizer.tokens("Hypodense lesion in the intrahepatic parenchyma."), List.of(),
                new int[] {0, Tokenizer.tokens("Hypodense lesion in the intrahepatic parenchyma.").size()}).containsAll(List.of("intrahepatic", "parenchyma", "intrahepatic parenchyma")));
    }
}
