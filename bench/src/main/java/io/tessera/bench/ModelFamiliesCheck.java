package io.tessera.bench;

import io.tessera.core.Classification;
import io.tessera.core.SliceRef;
import io.tessera.core.SourceSeries;
import io.tessera.core.Volume;
import io.tessera.core.ModelSpace;
import io.tessera.dicomio.SeriesReader;
import io.tessera.inference.Embedder;
import io.tessera.inference.FrameClassifier;
import io.tessera.inference.FrameImage;
import io.tessera.inference.ImageClassifier;
import io.tessera.inference.InferenceSettings;
import io.tessera.inference.LoadedModel;
import io.tessera.inference.ModelRegistry;
import io.tessera.inference.Prompt;
import io.tessera.inference.PromptMask;
import io.tessera.inference.PromptableSegmenter;
import io.tessera.inference.Segmenter;
import io.tessera.inference.WindowProgress;
import io.tessera.testkit.RadiographStudy;
import io.tessera.testkit.TwoSequenceMrStudy;
import io.tessera.testkit.phantom.PhantomSpec;
import io.tessera.testkit.phantom.Radiograph;
import io.tessera.testkit.phantom.RadiographProjector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs every model family of a models folder on the providers asked ({@code --providers cuda} or {@code tensorrt,cuda}
 * on a GPU machine; {@code cpu} anywhere) and on the CPU, on the same inputs, and prints per package the provider
 * ONNX Runtime used, the time per call and how far the answers are from the CPU's: classifiers and zero-shot image-text
 * packages (largest probability difference on radiographs of phantoms), image-text vectors (largest cosine distance),
 * promptable models (IoU of the masks of one box) and multi-series segmentation (share of voxels labelled alike). Exit
 * status 1 when an answer differs by more than {@code --tolerance} (probability, default 0.02), so the GPU script fails
 * loudly on a provider that changes results. {@code --models DIR} (default models), {@code --device N}, {@code --rounds N}.
 */
public final class ModelFamiliesCheck {
    public static void main(String[] args) throws Exception {
        Map<String, String> a = InferenceBenchmark.args(args);
        Path models = Path.of(a.getOrDefault("models", "models"));
        double tolerance = Double.parseDouble(a.getOrDefault("tolerance", "0.02"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
        InferenceSettings asked = BenchSettings.from(a);
        Path work = Files.createTempDirectory("tessera-families");
        List<Radiograph> films = new ArrayList<>();
        for (long seed = 980_001; seed <= 980_006; seed++) films.add(RadiographProjector.project(PhantomSpec.small(seed).withLesionCount(1)));
        TwoSequenceMrStudy mr = TwoSequenceMrStudy.write(980_101, work.resolve("mr"), true);
        boolean ok = true;
        try (ModelRegistry cpu = ModelRegistry.load(List.of(models), InferenceSettings.cpu());
             ModelRegistry dev = ModelRegistry.load(List.of(models), asked)) {
            System.out.printf(Locale.ROOT, "%-26s %-24s %-22s %10s  %s%n", "package", "task", "provider", "ms/call", "vs cpu");
            for (LoadedModel d : dev.list()) {
                LoadedModel c = cpu.get(d.name()).orElseThrow();
                String task = d.manifest().embeddingTask() ? "embedding" + (d.manifest().classifiesFrames() ? " (zero-shot)" : "")
                        : d.manifest().task() + (d.manifest().input() != null && d.manifest().input().channelCount() > 1
                        ? " (" + d.manifest().input().channelCount() + " series)" : "");
                Result r;
                if (d.manifest().classifiesFrames()) r = classify(d, c, films, rounds);
                else if (d.manifest().embeddingTask()) r = embed(d, c, films, rounds);
                else if (d.manifest().promptable()) r = prompt(d, c, films, rounds);
                else if ("segmentation".equals(d.manifest().task()) && d.manifest().input().channelCount() > 1) r = channels(d, c, mr, rounds);
                else continue; // single-series segmentation: InferenceBenchmark measures it
                boolean pass = r.difference() <= tolerance;
                ok &= pass;
                System.out.printf(Locale.ROOT, "%-26s %-24s %-22s %10.1f  %s%s%n", d.name(), task, d.identity().provider(),
                        r.msPerCall(), r.what(), pass ? "" : "  DIFFERS");
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * Time per call, how far from the CPU (probability difference, cosine distance, 1 − IoU or the share of voxels
     * labelled otherwise: each compared with the tolerance), and that said in words.
     */
    record Result(double msPerCall, double difference, String what) {}

    private static FrameImage frame(Radiograph r) {
        float[] v = new float[r.pixels().length];
        for (int i = 0; i < v.length; i++) v[i] = r.pixels()[i];
        return new FrameImage("film-" + r.spec().seed(), r.width(), r.height(), v, RadiographStudy.WINDOW_CENTER,
                RadiographStudy.WINDOW_WIDTH);
    }

    private static Result classify(LoadedModel d, LoadedModel c, List<Radiograph> films, int rounds) throws Exception {
        SliceRef ref = new SliceRef("1.2.840.10008.5.1.4.1.1.1.1", "1.2.3", null, null);
        double worst = 0;
        long nanos = 0;
        int calls = 0;
        try (ImageClassifier dc = FrameClassifier.of(d); ImageClassifier cc = FrameClassifier.of(c)) {
            for (Radiograph r : films) {
                Classification expected = cc.classify(frame(r), ref);
                for (int k = 0; k < rounds; k++) {
                    long t = System.nanoTime();
                    Classification got = dc.classify(frame(r), ref);
                    nanos += System.nanoTime() - t;
                    calls++;
                    for (int l = 0; l < got.labels().size(); l++) {
                        worst = Math.max(worst, Math.abs(got.labels().get(l).probability() - expected.labels().get(l).probability()));
                    }
                }
            }
        }
        return new Result(nanos / 1e6 / calls, worst, String.format(Locale.ROOT, "max |dp| %.5f", worst));
    }

    private static Result embed(LoadedModel d, LoadedModel c, List<Radiograph> films, int rounds) throws Exception {
        double worst = 0;
        long nanos = 0;
        int calls = 0;
        try (Embedder de = Embedder.open(d); Embedder ce = Embedder.open(c)) {
            for (Radiograph r : films) {
                float[] expected = ce.image(frame(r));
                for (int k = 0; k < rounds; k++) {
                    long t = System.nanoTime();
                    float[] got = de.image(frame(r));
                    nanos += System.nanoTime() - t;
                    calls++;
                    worst = Math.max(worst, 1 - Embedder.cosine(got, expected));
                }
            }
            worst = Math.max(worst, 1 - Embedder.cosine(de.text("enlarged heart"), ce.text("enlarged heart")));
        }
        return new Result(nanos / 1e6 / calls, worst, String.format(Locale.ROOT, "max cosine distance %.6f", worst));
    }

    private static Result prompt(LoadedModel d, LoadedModel c, List<Radiograph> films, int rounds) throws Exception {
        Radiograph r = films.get(0);
        Prompt box = Prompt.box(10, 20, r.width() / 2.0, r.height() - 20);
        PromptMask expected = new PromptableSegmenter(c).segment(frame(r), box);
        PromptMask got = null;
        long nanos = 0;
        for (int k = 0; k < rounds; k++) {
            long t = System.nanoTime();
            got = new PromptableSegmenter(d, 1).segment(frame(r), box); // encoder and decoder each time
            nanos += System.nanoTime() - t;
        }
        int both = 0, either = 0;
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                boolean p = got.inside(x, y), q = expected.inside(x, y);
                if (p && q) both++;
                if (p || q) either++;
            }
        }
        double iou = either == 0 ? 1 : both / (double) either;
        return new Result(nanos / 1e6 / rounds, 1 - iou, String.format(Locale.ROOT, "mask IoU %.4f", iou));
    }

    private static Result channels(LoadedModel d, LoadedModel c, TwoSequenceMrStudy mr, int rounds) throws Exception {
        SourceSeries t1 = new SeriesReader().read(mr.t1());
        SourceSeries flair = new SeriesReader().read(mr.flair());
        ModelSpace space = ModelSpace.of(t1, ModelSpace.Orientation.LPS);
        List<Volume> inputs = List.of(space.volume(), space.sample(flair));
        byte[] expected = new Segmenter().segment(c, inputs, WindowProgress.NONE).labels().labels();
        byte[] got = null;
        long nanos = 0;
        for (int k = 0; k < rounds; k++) {
            long t = System.nanoTime();
            got = new Segmenter().segment(d, inputs, WindowProgress.NONE).labels().labels();
            nanos += System.nanoTime() - t;
        }
        int same = 0;
        for (int i = 0; i < got.length; i++) if (got[i] == expected[i]) same++;
        double agree = same / (double) got.length;
        return new Result(nanos / 1e6 / rounds, 1 - agree, String.format(Locale.ROOT, "voxels alike %.5f", agree));
    }

    private ModelFamiliesCheck() {}
}
