package io.tessera.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.core.ModelIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Opens a package whose ONNX files have roles ({@code task: promptable-segmentation}: encoder and decoder;
 * {@code task: embedding}: image and text encoder): every role's file must exist inside the package, each gets its own
 * session, and the graphs are checked against the manifest ({@link PromptableGraphChecks}, {@link EmbeddingGraphChecks}). The identity's SHA-256 covers every file: it is the SHA-256 of the lines
 * {@code <role> <sha256 of its file>} in role order, so replacing either file changes the model's identity.
 */
final class RolePackage {

    static LoadedModel open(Path dir, ModelManifest manifest, SessionFactory factory, DeviceGates gates) throws ModelPackageException {
        List<String> problems = new ArrayList<>();
        Map<String, Path> files = new LinkedHashMap<>();
        Path root = dir.toAbsolutePath().normalize();
        List<String> roles = manifest.embeddingTask() ? EmbeddingContract.ROLES : PromptableContract.ROLES;
        for (String role : roles) {
            String file = manifest.graphs().get(role).file();
            Path f = root.resolve(file).normalize();
            if (!f.startsWith(root)) problems.add("graphs." + role + ".file: " + file + " is outside the package");
            else if (!Files.isRegularFile(f)) problems.add("graphs." + role + ".file: " + file + " missing");
            files.put(role, f);
        }
        if (!problems.isEmpty()) throw new ModelPackageException(dir, problems);

        String label = manifest.name() + " " + manifest.version();
        Map<String, OrtSession> sessions = new LinkedHashMap<>();
        List<String> providers = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : files.entrySet()) {
                try {
                    SessionFactory.Built b = factory.open(e.getValue(), label + " " + e.getKey());
                    sessions.put(e.getKey(), b.session());
                    providers.add(b.provider());
                } catch (OrtException ex) {
                    problems.add("graphs." + e.getKey() + ".file: ONNX Runtime cannot load it: " + ex.getMessage());
                }
            }
            if (problems.isEmpty()) {
                if (manifest.embeddingTask()) EmbeddingGraphChecks.check(manifest, sessions, root, problems);
                else PromptableGraphChecks.check(manifest, sessions, problems);
            }
            if (!problems.isEmpty()) throw new ModelPackageException(dir, problems);
            String provider = providers.stream().distinct().count() == 1 ? providers.get(0) : String.join(",", providers);
            Map<String, Path> identityFiles = new LinkedHashMap<>(files);
            // the tokenizer decides what the text encoder sees: a different one is a different model
            if (manifest.embeddingTask()) identityFiles.put("tokenizer", root.resolve(manifest.embedding().tokenizer()).normalize());
            ModelIdentity id = new ModelIdentity(manifest.name(), manifest.version(), sha256(identityFiles), provider);
            InferenceSettings settings = factory.settings();
            String device = settings.deviceFor(providers.get(0));
            OrtSession first = sessions.get(roles.get(0));
            return new LoadedModel(new ModelPackage(dir, manifest, ModelPackage.labels(manifest), id), first, sessions, device,
                    gates.of(device), settings.jobTimeout());
        } catch (ModelPackageException e) {
            closeAll(sessions);
            throw e;
        } catch (OrtException | IOException | RuntimeException e) {
            closeAll(sessions);
            throw new ModelPackageException(dir, List.of("graphs: " + e));
        }
    }

    static String sha256(Map<String, Path> files) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            lines.append(e.getKey()).append(' ').append(ModelPackage.sha256(e.getValue())).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void closeAll(Map<String, OrtSession> sessions) {
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // already failing; the original problem is what matters
            }
        }
    }

    private RolePackage() {}
}
