package io.tessera.grounding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.GroundedFinding;
import io.tessera.inference.GroundingRunner;
import io.tessera.inference.LoadedModel;
import io.tessera.testkit.phantom.Phantom;
import io.tessera.testkit.phantom.PhantomGenerator;
import io.tessera.testkit.phantom.ReportSentence;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The reference grounding model (models/phantom-grounding) next to the rule-and-segmentation method, on the same fresh
 * phantoms as {@link GroundingAccuracyTest} (PhantomSpec.small(101..116); the model was trained on seeds 3000-3119 at
 * 4 mm and never saw these, nor this 3 x 3 x 5 mm grid). Both use the same report parser; the rule method is given the
 * phantom's truth organ segmentation, the model only the image and the phrase. Besides the shared measures, the
 * model is run on every negated sentence itself ("No focal splenic lesion"): it must return no region.
 *
 * <p>Bars for the model are what a 13-minute CPU-trained reference model honestly reaches (see its MODEL_CARD.md),
 * not the 0.9 target, which the rule method meets.
 */
class ModelGroundingAccuracyTest {
    static final Path DIR = Path.of("..", "models", "phantom-grounding").toAbsolutePath().normalize();

    @Test
    void model_and_rule_method_side_by_side_on_fresh_phantoms() throws Exception {
        GroundingScore rule = new GroundingScore();
        GroundingScore model = new GroundingScore();
        int negatedRun = 0, negatedEmpty = 0;
        try (LoadedModel m = GroundingRunner.openCpu(DIR)) {
            ModelGrounder grounder = new ModelGrounder(new GroundingRunner(m));
            for (int n = 0; n < GroundingAccuracyTest.PHANTOMS; n++) {
                Phantom p = PhantomGenerator.generate(GroundingAccuracyTest.spec(n));
                rule.add(p, p.organs(), GroundingScore.phantomLabels());
                ParsedReport report = new ReportParser().parse(p.reportText());
                List<GroundedFinding> g = grounder.ground(p.ct(), report.findings(), "2.25.1", 1);
                model.add(p, report, g);
                for (ReportSentence s : p.reportTruth()) {
                    if (s.role() != ReportSentence.Role.NEGATED) continue;
                    negatedRun++;
                    if (grounder.region(p.ct(), s.text()).mask() == null) negatedEmpty++;
                    else model.failures.add("seed " + p.spec().seed() + ": model gave a region for negated '" + s.text() + "'");
                }
            }
        }
        double modelNegated = negatedRun == 0 ? 1 : (double) negatedEmpty / negatedRun;
        System.out.println(String.format(Locale.ROOT, """
                Grounding on PhantomSpec.small(101..%d): rule-and-segmentation vs model phantom-grounding
                | measure                                               | rule  | model |
                |-------------------------------------------------------|-------|-------|
                | positive findings grounded to the right lesion        | %.3f | %.3f |
                | negated findings producing no region (after parsing)  | %.3f | %.3f |
                | negated sentences given to the model: no region       |   -   | %.3f |
                | findings where there is no lesion, not grounded       | %.3f | %.3f |
                | mean IoU of grounded lesion masks vs truth            | %.3f | %.3f |
                positives %d, negated sentences %d, no-lesion sentences %d
                """, 100 + GroundingAccuracyTest.PHANTOMS, rule.positiveShare(), model.positiveShare(), rule.negatedShare(),
                model.negatedShare(), modelNegated, rule.noLesionShare(), model.noLesionShare(), rule.meanIou(),
                model.meanIou(), model.positives, negatedRun, model.noLesion));
        model.failures.forEach(f -> System.out.println("  model miss: " + f));
        assertEquals(1.0, model.negatedShare(), "the parser keeps negated findings away from the model");
        assertTrue(modelNegated >= 0.9, "model on negated sentences " + modelNegated);
        assertTrue(model.positiveShare() >= POSITIVE_BAR, "model positives " + model.positiveShare());
        assertTrue(model.meanIou() >= 0.35, "model mean IoU " + model.meanIou());
        assertTrue(rule.positiveShare() >= 0.9, "rule positives " + rule.positiveShare());
    }

    /**
     * What the shipped model reaches, rounded down (0.323 and IoU 0.497 measured, MODEL_CARD.md): far below the rule
     * method. Raise it with a better model, never lower it silently.
     */
    static final double POSITIVE_BAR = 0.3;
}
