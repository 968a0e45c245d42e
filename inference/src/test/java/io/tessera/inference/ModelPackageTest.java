package io.tessera.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.core.SegmentLabel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelPackageTest {
    @TempDir Path tmp;

    @Test
    void loads_a_valid_package_with_labels_and_identity() throws Exception {
        ModelPackage p = ModelPackage.load(TestModels.dir("threshold-dynamic"));
        assertEquals("test-threshold", p.manifest().name());
        List<SegmentLabel> labels = p.labels();
        assertEquals(2, labels.size());
        assertEquals("bright", labels.get(0).name());
        assertEquals("SCT", labels.get(1).type().scheme());
        assertEquals("39607008", labels.get(1).type().value());
        assertEquals("1.0.0", p.identity().version());
        assertEquals(ModelPackage.sha256(p.dir().resolve("model.onnx")), p.identity().sha256());
        assertEquals(64, p.identity().sha256().length());
        assertEquals("cpu", p.identity().provider());
        assertEquals(0.0, p.manifest().postprocess().minSizeMl());
    }

    @Test
    void lists_every_manifest_problem_with_its_path() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("tessera-model.yaml"), """
                name: Bad Name
                version: 1.0.0
                task: segmentation
                input:
                  name: image
                  spacing: [1.0, -2.0]
                  intensity: { type: gamma }
                  patch: [64, 0, 64.5]
                  overlap: 1.2
                  orientation: XYZ
                  batchsize: 2
                output:
                  name: logits
                  activation: relu
                  labels:
                    - { value: 1, name: a, category: { code: "1", meaning: A }, type: { code: "2", meaning: B }, color: [1, 2, 3] }
                    - { value: 1, name: b, category: { code: "1", meaning: A }, type: { code: "2" }, color: [1, 2] }
                postprocess:
                  largestComponent: [c]
                """);
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        List<String> expected = List.of(
                "name: must match [a-z0-9-]+, was 'Bad Name'",
                "input.spacing: must be 3 positive numbers (mm)",
                "input.patch: must be 3 positive ints",
                "input.overlap: must be a number in [0, 1)",
                "input.orientation: unknown orientation 'XYZ' (LPS | RAS | native)",
                "input.batchsize: unknown key",
                "input.intensity.type: unknown intensity type 'gamma' (window | zscore | none)",
                "output.activation: unknown activation 'relu' (softmax | sigmoid | none)",
                "output.labels[1].value: duplicate 1",
                "output.labels[1].type.meaning: missing",
                "output.labels[1].color: must be 3 ints in 0..255",
                "postprocess.largestComponent[0]: unknown label 'c'",
                "model.onnx: missing");
        for (String problem : expected) assertTrue(e.problems().contains(problem), problem + " not in " + e.problems());
        assertEquals(expected.size(), e.problems().size(), e.problems().toString());
        assertTrue(e.getMessage().startsWith("TSR-0301"));
    }

    @Test
    void refuses_an_input_name_that_is_not_in_the_graph() {
        Path dir = TestModels.copy("threshold-dynamic", tmp.resolve("p"), y -> y.replace("  name: image", "  name: img"));
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        assertEquals(List.of("input.name: 'img' is not in the graph (graph has [image])"), e.problems());
    }

    @Test
    void refuses_a_label_count_that_does_not_match_the_output_channels() {
        Path dir = TestModels.copy("threshold-dynamic", tmp.resolve("p"),
                y -> y.replaceAll("(?m)^    - \\{ value: 2.*\\n", ""));
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        assertEquals(List.of("output.labels: 1 labels but the graph's output has 3 channels (expected labels + 1 for background)"),
                e.problems());
    }

    @Test
    void refuses_a_patch_that_does_not_fit_the_fixed_graph_dims() {
        Path dir = TestModels.copy("threshold-fixed32", tmp.resolve("p"),
                y -> y.replace("patch: [32, 32, 32]", "patch: [32, 16, 32]").replace("batch: 1", "batch: 2"));
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        assertEquals(2, e.problems().size(), e.problems().toString());
        assertTrue(e.problems().get(0).startsWith("input.batch: 2 but the graph's batch dimension is fixed at 1"));
        assertTrue(e.problems().get(1).startsWith("input.patch: [32, 16, 32] not compatible with the graph's fixed input dims [1, 1, 32, 32, 32]"));
    }

    @Test
    void reports_a_corrupt_onnx_file() throws Exception {
        Path dir = TestModels.copy("threshold-dynamic", tmp.resolve("p"), y -> y);
        Files.writeString(dir.resolve("model.onnx"), "not a model");
        ModelPackageException e = assertThrows(ModelPackageException.class, () -> ModelPackage.load(dir));
        assertTrue(e.problems().get(0).startsWith("model.onnx: ONNX Runtime cannot load it"), e.problems().toString());
    }
}
