package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tessera.core.Assertion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a sentence says a finding looks like and which size is its own, as the grounding judges candidates by them. */
class ReportAppearanceTest {
    private final ReportParser parser = new ReportParser();

    /** sentence | appearance | largest size mm (0 none) | zone ('' none) */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            Hypodense lesion in the right hepatic lobe measuring 24 mm.                 | DARK      | 24 | rightpart
            There is a 2.4 cm low-attenuation lesion in the liver.                      | DARK      | 24 |
            Enhancing lesion in the left hepatic lobe, 1.8 x 1.5 cm.                    | BRIGHT    | 18 | leftpart
            A non-enhancing lesion in the spleen.                                       | DARK      | 0  |
            Simple cyst in the right kidney measuring 2.2 cm.                           | FLUID     | 22 |
            Hypodense cyst in the spleen, 9 mm.                                         | FLUID     | 9  |
            Calcified nodule in the spleen measuring 8 mm.                              | CALCIFIED | 8  |
            There is a 7 mm calcification in the right hepatic lobe.                    | CALCIFIED | 7  | rightpart
            Fat-containing lesion in the left kidney, 15 mm.                            | FAT       | 15 |
            Nodule in the right lower lobe, 6 mm.                                       | UNSTATED  | 6  | lower
            The liver measures 18 cm, with a 2.4 cm hypodense lesion in the right hepatic lobe. | DARK | 24 | rightpart
            3.0 cm hypoattenuating lesion in hepatic segment 7.                         | DARK      | 30 | s7
            1.3 x 1.1 cm hypodense mass in segment VI of the liver.                     | DARK      | 13 | s6
            Hypodense lesion in the right hepatic lobe, segment 8, measuring 24 mm.     | DARK      | 24 | s8
            """)
    void reads_appearance_own_size_and_segment(String sentence, Appearance appearance, double size, String zone) {
        ParsedReport r = parser.parse(sentence);
        assertEquals(1, r.findings().size(), r.findings().toString());
        ParsedFinding f = r.findings().get(0);
        assertEquals(Assertion.PRESENT, f.finding().assertion(), f.evidence().toString());
        assertEquals(appearance, f.appearance(), f.evidence().toString());
        assertEquals(size, Double.isNaN(f.finding().largestSizeMm()) ? 0 : f.finding().largestSizeMm(), 1e-9, f.evidence().toString());
        assertEquals(zone, f.zone(), f.evidence().toString());
        if (f.finding().site() != null && zone != null && zone.startsWith("s")) assertEquals("liver", f.organs().get(0));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            No other focal liver lesion.
            The aorta measures 24 mm in diameter.
            The common bile duct measures 6 mm.
            There is no renal cyst.
            """)
    void negations_and_other_measurements_state_no_present_finding(String sentence) {
        assertEquals(0, parser.parse(sentence).findings().stream().filter(f -> f.finding().assertion() != Assertion.ABSENT).count());
    }
}
