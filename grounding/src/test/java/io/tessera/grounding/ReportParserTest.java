package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.*;

import io.tessera.config.LexiconTermConfig;
import io.tessera.core.Assertion;
import io.tessera.core.Laterality;
import io.tessera.core.ReportFinding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportParserTest {
    private final ReportParser parser = new ReportParser();

    private ParsedFinding only(String text) {
        ParsedReport r = parser.parse(text);
        assertEquals(1, r.findings().size(), () -> text + " -> " + r.findings());
        return r.findings().get(0);
    }

    /** sentence | finding code | site code ('' none) | laterality | assertion | largest size mm (0 none) | organs */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            8 mm nodule in the right lower lobe.                        | 27925004  | 266005    | RIGHT       | PRESENT   | 8    | lung_right
            A 12mm nodule in the RLL.                                   | 27925004  | 266005    | RIGHT       | PRESENT   | 12   | lung_right
            Left upper lobe nodule measuring 1.2 x 0.9 cm.              | 27925004  | 44714003  | LEFT        | PRESENT   | 12   | lung_left
            Spiculated mass in the left lower lobe, 3.1 cm.             | 4147007   | 41224006  | LEFT        | PRESENT   | 31   | lung_left
            2.1 cm hypodense lesion in the right hepatic lobe.          | 52988006  | 10200004  | UNSPECIFIED | PRESENT   | 21   | liver
            Hepatic cyst measuring 14 mm.                               | 441457006 | 10200004  | UNSPECIFIED | PRESENT   | 14   | liver
            No pleural effusion.                                        | 60046008  |           | UNSPECIFIED | ABSENT    | 0    |
            No focal splenic lesion.                                    | 52988006  | 78961009  | UNSPECIFIED | ABSENT    | 0    | spleen
            The liver is free of focal lesions.                         | 52988006  | 10200004  | UNSPECIFIED | ABSENT    | 0    | liver
            Negative for pulmonary nodules.                             | 27925004  | 39607008  | UNSPECIFIED | ABSENT    | 0    | lung_left+lung_right
            No evidence of renal mass.                                  | 4147007   | 64033007  | UNSPECIFIED | ABSENT    | 0    | kidney_left+kidney_right
            Kidneys without focal lesion.                               | 52988006  | 64033007  | UNSPECIFIED | ABSENT    | 0    | kidney_left+kidney_right
            Possible 5 mm nodule in the left lung.                      | 27925004  | 44029006  | LEFT        | UNCERTAIN | 5    | lung_left
            A small cyst in the right kidney cannot be excluded.        | 441457006 | 9846003   | RIGHT       | UNCERTAIN | 0    | kidney_right
            Lesion in the spleen may represent a hemangioma.            | 52988006  | 78961009  | UNSPECIFIED | UNCERTAIN | 0    | spleen
            9 mm opacity suspicious for nodule in the right upper lobe. | 27925004  | 42400003  | RIGHT       | UNCERTAIN | 9    | lung_right
            1.5 cm hypoenhancing lesion in the upper pole of the left kidney. | 52988006 | 18639004 | LEFT  | PRESENT   | 15   | kidney_left
            Left renal cyst, 2 cm.                                      | 441457006 | 18639004  | LEFT        | PRESENT   | 20   | kidney_left
            Right-sided pleural effusion.                               | 60046008  |           | RIGHT       | PRESENT   | 0    |
            Bilateral pleural effusions.                                | 60046008  |           | BILATERAL   | PRESENT   | 0    |
            Nodule in the left upper lobe, 7 mm.                        | 27925004  | 44714003  | LEFT        | PRESENT   | 7    | lung_left
            Pancreatic cyst measuring 6 mm.                             | 441457006 | 15776009  | UNSPECIFIED | PRESENT   | 6    |
            Pleural effusion is not seen.                               | 60046008  |           | UNSPECIFIED | ABSENT    | 0    |
            Lesion in the middle lobe, 1 cm.                            | 52988006  | 72481006  | RIGHT       | PRESENT   | 10   | lung_right
            Liver: 3 cm mass in the left lobe of the liver.             | 4147007   | 10200004  | UNSPECIFIED | PRESENT   | 30   | liver
            Ascites has resolved.                                       | 389026000 |           | UNSPECIFIED | ABSENT    | 0    |
            """)
    void reads_finding_site_side_assertion_and_size(String sentence, String finding, String site, Laterality side,
                                                    Assertion assertion, double size, String organs) {
        ParsedFinding p = only(sentence);
        ReportFinding f = p.finding();
        assertEquals(finding, f.findingType().value(), p.evidence().toString());
        assertEquals(site == null ? null : site, f.site() == null ? null : f.site().value(), p.evidence().toString());
        assertEquals(side, f.laterality(), p.evidence().toString());
        assertEquals(assertion, f.assertion(), p.evidence().toString());
        if (size == 0) assertTrue(Double.isNaN(f.largestSizeMm()), p.evidence().toString());
        else assertEquals(size, f.largestSizeMm(), 1e-9);
        assertEquals(organs == null ? "" : organs, String.join("+", p.organs()));
        assertEquals(sentence.strip().replaceAll("\\.$", ""), f.phrase());
    }

    /** sentence | number of findings | assertions in order | lateralities in order */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            No new nodules.                                               | 1 | ABSENT              | UNSPECIFIED
            Stable 4 mm nodule in the RUL.                                | 1 | PRESENT             | RIGHT
            Unremarkable spleen.                                          | 0 |                     |
            Small right pleural effusion.                                 | 1 | PRESENT             | RIGHT
            There is no evidence of hepatic mass.                         | 1 | ABSENT              | UNSPECIFIED
            Liver lesion is not seen.                                     | 1 | ABSENT              | UNSPECIFIED
            Possible small left renal cyst.                               | 1 | UNCERTAIN           | LEFT
            Several hepatic cysts, the largest measuring 1.5 cm.          | 1 | PRESENT             | UNSPECIFIED
            Lungs are clear without nodules.                              | 1 | ABSENT              | UNSPECIFIED
            Status post right nephrectomy.                                | 0 |                     |
            History of resected left lung nodule.                         | 0 |                     |
            Rule out pulmonary embolism or nodule.                        | 0 |                     |
            8 mm nodule in the right lower lobe, previously 6 mm.         | 1 | PRESENT             | RIGHT
            Left lower lobe mass; right pleural effusion.                 | 2 | PRESENT,PRESENT     | LEFT,RIGHT
            No pneumothorax, but a 6 mm nodule in the lingula.            | 2 | ABSENT,PRESENT      | UNSPECIFIED,LEFT
            Free of ascites; splenic cyst cannot be excluded.             | 2 | ABSENT,UNCERTAIN    | UNSPECIFIED,UNSPECIFIED
            Right kidney lesion suspicious for renal cell carcinoma.      | 1 | UNCERTAIN           | RIGHT
            The gallbladder is normal. The adrenal glands are unremarkable. | 0 |                   |
            Bilateral lung nodules, the largest 9 mm in the right upper lobe. | 1 | PRESENT         | RIGHT
            """)
    void counts_assertions_and_sides_of_harder_sentences(String sentence, int count, String assertions, String sides) {
        ParsedReport r = parser.parse(sentence);
        assertEquals(count, r.findings().size(), r.toString());
        if (count == 0) return;
        assertEquals(assertions, r.findings().stream().map(f -> f.finding().assertion().name())
                .collect(java.util.stream.Collectors.joining(",")), r.toString());
        assertEquals(sides, r.findings().stream().map(f -> f.finding().laterality().name())
                .collect(java.util.stream.Collectors.joining(",")), r.toString());
    }

    @Test
    void sizes_are_millimetres_largest_first() {
        assertArrayEquals(new double[] {12, 9}, only("Nodule 0.9 x 1.2 cm in the RUL.").finding().sizeMm(), 1e-9);
        assertArrayEquals(new double[] {8, 6, 5}, only("Cyst measuring 8 x 6 x 5 mm in the liver.").finding().sizeMm(), 1e-9);
        assertArrayEquals(new double[] {21}, only("Mass of 2.1cm in the spleen.").finding().sizeMm(), 1e-9);
        assertArrayEquals(new double[] {8}, only("An 8-mm nodule in the LLL.").finding().sizeMm(), 1e-9);
    }

    @Test
    void two_findings_in_one_sentence_keep_their_own_size_and_site() {
        ParsedReport r = parser.parse("8 mm nodule in the right lower lobe and 5 mm nodule in the left upper lobe.");
        assertEquals(2, r.findings().size());
        assertEquals("266005", r.findings().get(0).finding().site().value());
        assertEquals(8, r.findings().get(0).finding().largestSizeMm());
        assertEquals("44714003", r.findings().get(1).finding().site().value());
        assertEquals(5, r.findings().get(1).finding().largestSizeMm());
    }

    @Test
    void negation_scope_ends_at_semicolon_breaker_and_a_measured_finding() {
        ParsedReport r = parser.parse("8 mm nodule in the right lower lobe; no pleural effusion.");
        assertEquals(List.of(Assertion.PRESENT, Assertion.ABSENT), r.findings().stream().map(f -> f.finding().assertion()).toList());
        r = parser.parse("No pleural effusion but a 2 cm mass in the liver.");
        assertEquals(List.of(Assertion.ABSENT, Assertion.PRESENT), r.findings().stream().map(f -> f.finding().assertion()).toList());
        r = parser.parse("No pleural effusion or pneumothorax.");
        assertEquals(List.of(Assertion.ABSENT, Assertion.ABSENT), r.findings().stream().map(f -> f.finding().assertion()).toList());
        r = parser.parse("No ascites and a 9 mm nodule in the RLL.");
        assertEquals(List.of(Assertion.ABSENT, Assertion.PRESENT), r.findings().stream().map(f -> f.finding().assertion()).toList());
    }

    @Test
    void history_indication_and_normal_statements_give_no_finding() {
        ParsedReport r = parser.parse("""
                CLINICAL HISTORY: Evaluate for pulmonary nodule. Cough.
                COMPARISON: None.
                FINDINGS:
                History of resected left lung nodule.
                The liver, spleen and pancreas are unremarkable.
                The kidneys enhance symmetrically.
                8 mm nodule in the right lower lobe.
                IMPRESSION:
                1. Nodule in the right lower lobe, 8 mm.
                """);
        assertEquals(1, r.findings().size(), r.toString());
        ParsedFinding f = r.findings().get(0);
        assertEquals("266005", f.finding().site().value());
        assertTrue(f.evidence().stream().anyMatch(e -> e.startsWith("restated")), f.evidence().toString());
        assertEquals(2, r.setAside().size(), r.setAside().toString());
    }

    @Test
    void evidence_names_the_words_behind_each_decision() {
        ParsedFinding f = only("No evidence of a 5 mm nodule in the left lower lobe.");
        assertEquals(Assertion.ABSENT, f.finding().assertion());
        String all = String.join("\n", f.evidence());
        assertTrue(all.contains("finding \"nodule\" -> SCT 27925004 Nodule"), all);
        assertTrue(all.contains("site \"left lower lobe\" -> SCT 41224006 Lower lobe of left lung in lung_left"), all);
        assertTrue(all.contains("size \"5 mm\""), all);
    }

    @Test
    void parsing_is_deterministic() {
        String text = "Possible 5 mm nodule in the left lung; no effusion. 2 cm liver lesion.";
        assertEquals(parser.parse(text).toString().replaceAll("@[0-9a-f]+", ""),
                parser.parse(text).toString().replaceAll("@[0-9a-f]+", ""));
    }

    @Test
    void laterality_comes_from_the_words_only() {
        assertEquals(Laterality.UNSPECIFIED, only("Renal cyst, 1 cm.").finding().laterality());
        assertEquals(List.of("kidney_left", "kidney_right"), only("Renal cyst, 1 cm.").organs());
        assertEquals(Laterality.RIGHT, only("Right renal cyst, 1 cm.").finding().laterality());
        assertEquals("9846003", only("Right renal cyst, 1 cm.").finding().site().value());
    }

    @Test
    void configured_terms_extend_the_lexicon() {
        Lexicon lex = Lexicon.builtIn().with(List.of(
                new LexiconTermConfig("site", "hepar", "liver", null, null, null),
                new LexiconTermConfig("finding", "granuloma", null, "45647009", "Granuloma", null),
                new LexiconTermConfig("negation", "absent", null, null, null, null)));
        ReportParser p = new ReportParser(lex);
        ParsedFinding f = p.parse("Granuloma in the hepar, 6 mm.").findings().get(0);
        assertEquals("45647009", f.finding().findingType().value());
        assertEquals("10200004", f.finding().site().value());
        assertEquals(List.of("liver"), f.organs());
        assertEquals(Assertion.ABSENT, p.parse("Absent granuloma.").findings().get(0).finding().assertion());
        assertThrows(IllegalArgumentException.class, () -> Lexicon.builtIn().with(List.of(
                new LexiconTermConfig("site", "x", "no-such-phrase", null, null, null))));
    }
}
