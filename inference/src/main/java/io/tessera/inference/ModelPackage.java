package io.tessera.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.tessera.core.Code;
import io.tessera.core.ModelIdentity;
import io.tessera.core.SegmentLabel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** A validated model package folder: manifest, labels as core types, and the identity of the ONNX file. */
public record ModelPackage(Path dir, ModelManifest manifest, List<SegmentLabel> labels, ModelIdentity identity) {
    public static final String MODEL_FILE = "model.onnx";

    public ModelPackage {
        labels = List.copyOf(labels);
    }

    /**
     * Loads and validates a package on its own, opening a CPU session just to read the graph's metadata.
     * The identity's provider is {@code cpu}; {@link ModelRegistry} reports the provider it actually uses.
     */
    public static ModelPackage load(Path dir) throws ModelPackageException {
        SessionFactory factory = new SessionFactory(OrtEnvironment.getEnvironment(), InferenceSettings.cpu());
        try (LoadedModel m = open(dir, factory, new DeviceGates(1))) {
            return m.modelPackage();
        }
    }

    /** Validates the package and builds its session; the caller owns the returned model. */
    static LoadedModel open(Path dir, SessionFactory factory, DeviceGates gates) throws ModelPackageException {
        List<String> problems = new ArrayList<>();
        Path onnx = dir.resolve(MODEL_FILE);
        Path yaml = dir.resolve(ManifestReader.FILE);
        ModelManifest manifest = null;
        if (!Files.isRegularFile(yaml)) problems.add(ManifestReader.FILE + ": missing");
        else manifest = ManifestReader.read(yaml, problems);
        if (manifest != null && (manifest.promptable() || manifest.embeddingTask())) return RolePackage.open(dir, manifest, factory, gates);
        // a multi-file package names its files in the manifest: no model.onnx to miss even when the manifest is broken
        boolean multiFile = manifest == null && Files.isRegularFile(yaml) && ManifestReader.declaresRoles(yaml);
        if (!multiFile && !Files.isRegularFile(onnx)) problems.add(MODEL_FILE + ": missing");
        if (manifest != null && manifest.grounding()) {
            Path tok = dir.resolve(manifest.text().tokenizer());
            if (!Files.isRegularFile(tok)) problems.add("text.tokenizer: " + manifest.text().tokenizer() + " missing");
            else {
                try {
                    PhraseTokenizer.read(tok, manifest.text().maxTokens());
                } catch (IOException e) {
                    problems.add("text.tokenizer: " + e.getMessage());
                }
            }
        }
        if (!problems.isEmpty()) throw new ModelPackageException(dir, problems);

        String label = manifest.name() + " " + manifest.version();
        SessionFactory.Built built;
        try {
            built = factory.open(onnx, label);
        } catch (OrtException e) {
            throw new ModelPackageException(dir, List.of(MODEL_FILE + ": ONNX Runtime cannot load it: " + e.getMessage()));
        }
        try {
            if (manifest.classification()) ClassifierGraphChecks.check(manifest, built.session(), problems);
            else GraphChecks.check(manifest, built.session(), problems);
            if (!problems.isEmpty()) throw new ModelPackageException(dir, problems);
            ModelIdentity id = new ModelIdentity(manifest.name(), manifest.version(), sha256(onnx), built.provider());
            InferenceSettings settings = factory.settings();
            String device = settings.deviceFor(built.provider());
            return new LoadedModel(new ModelPackage(dir, manifest, labels(manifest), id), built.session(), device,
                    gates.of(device), settings.jobTimeout());
        } catch (ModelPackageException e) {
            closeQuietly(built);
            throw e;
        } catch (OrtException | IOException | RuntimeException e) {
            closeQuietly(built);
            throw new ModelPackageException(dir, List.of(MODEL_FILE + ": " + e));
        }
    }

    public String name() {
        return manifest.name();
    }

    static List<SegmentLabel> labels(ModelManifest m) {
        return m.output().labels().stream()
                .sorted(Comparator.comparingInt(ModelManifest.Label::value))
                .map(l -> new SegmentLabel(l.value(), l.name(), code(l.category()), code(l.type()),
                        l.color().stream().mapToInt(Integer::intValue).toArray()))
                .toList();
    }

    private static Code code(ModelManifest.Concept c) {
        return new Code(c.scheme(), c.code(), c.meaning());
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeQuietly(SessionFactory.Built built) {
        try {
            built.session().close();
        } catch (OrtException ignored) {
            // already failing; the original problem is what matters
        }
    }
}
