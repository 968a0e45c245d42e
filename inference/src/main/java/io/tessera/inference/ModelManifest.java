package io.tessera.inference;

import java.util.List;

/**
 * The manifest {@code tessera-model.yaml} of a model package, as documented in {@code docs/model-package.md}.
 * Instances are only built from trees that {@link ManifestValidator} accepted, so every required field is present.
 */
public record ModelManifest(String name, String version, String task, String license, String intendedUse,
                            Input input, Output output, Postprocess postprocess, Text text,
                            java.util.Map<String, Graph> graphs, FrameInput frame, Classifier classifier,
                            Embedding embedding) {
    public static final String PROMPTABLE = "promptable-segmentation";
    public static final String CLASSIFICATION = "classification";
    public static final String EMBEDDING = "embedding";

    /** A manifest of the tasks that have no embedding part. */
    public ModelManifest(String name, String version, String task, String license, String intendedUse, Input input,
                         Output output, Postprocess postprocess, Text text, java.util.Map<String, Graph> graphs,
                         FrameInput frame, Classifier classifier) {
        this(name, version, task, license, intendedUse, input, output, postprocess, text, graphs, frame, classifier, null);
    }

    /** A manifest of the tasks that have no classifier part. */
    public ModelManifest(String name, String version, String task, String license, String intendedUse, Input input,
                         Output output, Postprocess postprocess, Text text, java.util.Map<String, Graph> graphs,
                         FrameInput frame) {
        this(name, version, task, license, intendedUse, input, output, postprocess, text, graphs, frame, null, null);
    }

    /**
     * True for {@code task: embedding}: an image encoder and a text encoder ({@link #graphs()}) that map a frame and a
     * phrase into one vector space (CLIP style), with the text side's tokenizer and pooling in {@link #embedding()}.
     */
    public boolean embeddingTask() {
        return EMBEDDING.equals(task);
    }

    /**
     * True when the package classifies single-frame images: a classifier, or an embedding package with zero-shot
     * labels (its text prompts decide, see {@link Embedding#labels()}).
     */
    public boolean classifiesFrames() {
        return classification() || (embeddingTask() && !embedding.labels().isEmpty());
    }

    /**
     * The task as routes see it: an embedding package with zero-shot labels classifies single frames like a classifier
     * ({@code classification}); any other package its own task.
     */
    public String routeTask() {
        return classifiesFrames() ? CLASSIFICATION : task;
    }

    /**
     * The text side of an embedding package and its zero-shot labels: the HuggingFace {@code tokenizer} file
     * ({@code tokenizer.json}: WordPiece, BPE or Unigram), at most {@code maxTokens} tokens a phrase, how token states
     * become one vector ({@code pooling}: {@code none} when the graph already gives [N, D], {@code mean} over the
     * attention mask, {@code cls} the first token's), and the {@code scale} cosine similarities are multiplied by
     * before the softmax (CLIP's logit scale).
     */
    public record Embedding(String tokenizer, int maxTokens, String pooling, double scale, List<ZeroShotLabel> labels) {}

    /**
     * One zero-shot label: the phrases that say it is {@code present} and those that say it is {@code absent}; each
     * side's phrase vectors are averaged (prompt ensembling) and the image's probability of the label is the softmax
     * of the two scaled cosine similarities (CheXzero's positive/negative prompts).
     */
    public record ZeroShotLabel(String name, String display, List<String> present, List<String> absent, double threshold,
                                List<Concept> codes) {}

    /**
     * True for {@code task: classification}: one single-frame image in (the 2D {@link #frame()} input, declared like a
     * promptable model's), one score per label out ({@link #classifier()}); {@link #input()} is null.
     */
    public boolean classification() {
        return CLASSIFICATION.equals(task);
    }

    /** The 2D input of a classifier or promptable model: one frame or a single-frame image (CR, DX, secondary capture). */
    public boolean twoD() {
        return frame != null;
    }

    /**
     * What a classifier reads and answers: graph input {@code inputName} takes the prepared frame [N, channels, side,
     * side]; graph output {@code outputName} gives [N, labels] scores, made probabilities by {@code activation}
     * ({@code sigmoid}: each label on its own, {@code softmax}: one label of all).
     */
    public record Classifier(String inputName, String outputName, String activation, List<ClassLabel> labels) {}

    /**
     * One output column of a classifier: {@code index} in the output, {@code name} ({@code [A-Za-z0-9_]+}),
     * {@code display} for people, the probability at or above which it is called present, and its codes (SNOMED CT,
     * RadLex) where known, most specific first.
     */
    public record ClassLabel(int index, String name, String display, double threshold, List<Concept> codes) {}

    /** True for {@code task: grounding}: image + tokenized phrase in, one-channel heatmap out (no labels). */
    public boolean grounding() {
        return "grounding".equals(task);
    }

    /**
     * True for {@code task: promptable-segmentation}: several ONNX files by role ({@link #graphs()}), a 2D
     * {@link #frame()} input instead of {@link #input()}, and one mask per prompt; {@link #input()} is null.
     */
    public boolean promptable() {
        return PROMPTABLE.equals(task);
    }

    /**
     * One ONNX file of a multi-file package, by role ({@code encoder}, {@code decoder}): its path inside the package,
     * and Tessera's slot names (the keys, fixed per role) mapped to the graph's own tensor names (the values).
     */
    public record Graph(String file, java.util.Map<String, String> inputs, java.util.Map<String, String> outputs) {}

    /**
     * The 2D input of a promptable model, declared rather than coded (see {@link FramePreprocessor}): {@code window}
     * (fixed HU/modality values, or the frame's own VOI LUT window) mapped linearly onto {@code range}, grey replicated
     * to {@code channels}, the longest side resized to {@code resizeLongestSide}, then per-channel
     * {@code (v - mean) / std}, and padding to a square of that side with zeros at the bottom and right.
     */
    public record FrameInput(String dimensions, String modality, Window window, List<Double> range, int channels,
                             int resizeLongestSide, String pad, List<Double> mean, List<Double> std) {}

    /** {@code type: fixed} uses min/max; {@code type: voi} the frame's VOI LUT window, else min/max when given. */
    public record Window(String type, Double min, Double max) {}

    /**
     * The phrase input of a grounding model: graph input {@code name} takes int64 ids [N, maxTokens] made by the
     * word-level {@code tokenizer} file in the package (see {@link WordTokenizer}).
     */
    public record Text(String name, String tokenizer, int maxTokens) {}

    /**
     * @param channels the study's series the model takes as its input channels, in tensor order (T1 and FLAIR, say);
     *                 empty for a one-series model. The first is the series the route picks (the SEG is made on it);
     *                 each other is found in the same study by its SeriesDescription and resampled onto the first's
     *                 grid by patient coordinates. {@link #intensity()} applies to each channel on its own.
     */
    public record Input(String name, String modality, List<Double> spacing, Intensity intensity,
                        List<Integer> patch, double overlap, String blending, int batch, String orientation,
                        List<Channel> channels) {
        public Input {
            channels = channels == null ? List.of() : List.copyOf(channels);
        }

        /** How many image channels the model's input tensor has (1 for a one-series model). */
        public int channelCount() {
            return Math.max(1, channels.size());
        }

        /** Spacing in mm along x, y, z of the volume's own axes. */
        public double[] spacingXyz() {
            return new double[] {spacing.get(0), spacing.get(1), spacing.get(2)};
        }

        /** Patch size in voxels, ordered Z, Y, X as the tensor is. */
        public int[] patchZyx() {
            return new int[] {patch.get(0), patch.get(1), patch.get(2)};
        }
    }

    /** One input channel: its {@code name} and the SeriesDescription (a regular expression) that finds its series. */
    public record Channel(String name, String seriesDescription) {}

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
