package io.tessera.inference;

import java.util.List;

/**
 * The manifest {@code tessera-model.yaml} of a model package, as documented in {@code docs/model-package.md}.
 * Instances are only built from trees that {@link ManifestValidator} accepted, so every required field is present.
 */
public record ModelManifest(String name, String version, String task, String license, String intendedUse,
                            Input input, Output output, Postprocess postprocess, Text text) {

    /** True for {@code task: grounding}: image + tokenized phrase in, one-channel heatmap out (no labels). */
    public boolean grounding() {
        return "grounding".equals(task);
    }

    /**
     * The phrase input of a grounding model: graph input {@code name} takes int64 ids [N, maxTokens] made by the
     * word-level {@code tokenizer} file in the package (see {@link WordTokenizer}).
     */
    public record Text(String name, String tokenizer, int maxTokens) {}

    public record Input(String name, String modality, List<Double> spacing, Intensity intensity,
                        List<Integer> patch, double overlap, String blending, int batch, String orientation) {
        /** Spacing in mm along x, y, z of the volume's own axes. */
        public double[] spacingXyz() {
            return new double[] {spacing.get(0), spacing.get(1), spacing.get(2)};
        }

        /** Patch size in voxels, ordered Z, Y, X as the tensor is. */
        public int[] patchZyx() {
            return new int[] {patch.get(0), patch.get(1), patch.get(2)};
        }
    }

    /** {@code type}: window (min, max), zscore (mean and std, or per volume when omitted) or none. */
    public record Intensity(String type, Double min, Double max, Double mean, Double std) {}

    /** {@code threshold}: for grounding, the probability above which a voxel belongs to the region (default 0.5). */
    public record Output(String name, String activation, List<Label> labels, Double threshold) {}

    public record Label(int value, String name, Concept category, Concept type, List<Integer> color) {}

    /** A coded concept; {@code scheme} defaults to SCT. */
    public record Concept(String scheme, String code, String meaning) {}

    public record Postprocess(List<String> largestComponent, double minSizeMl) {
        public static Postprocess none() {
            return new Postprocess(List.of(), 0.0);
        }
    }
}
