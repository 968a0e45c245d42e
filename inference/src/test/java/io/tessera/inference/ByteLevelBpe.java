package io.tessera.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Learns a small GPT-2-style byte-level BPE {@code tokenizer.json} from a few report sentences, so that a BPE
 * tokenizer (the family of CLIP's and most image-text models') can be tested without fetching one: bytes mapped to
 * printable characters as GPT-2 does, words with their leading space as one symbol sequence, the most frequent pair
 * merged {@code merges} times (ties broken by the pair's text, so the file is the same every run).
 */
final class ByteLevelBpe {
    static final String CORPUS = """
            The liver is enlarged with a hypodense lesion in segment seven.
            No focal lesion in the spleen or the kidneys. The pancreas is unremarkable.
            There is a small left pleural effusion and bibasal atelectasis.
            The heart is enlarged; the cardiothoracic ratio is increased.
            A spiculated nodule in the right upper lobe measures twelve millimetres.
            No pneumothorax. No consolidation. The mediastinum is not widened.
            Hyperdense lesion in the left kidney, likely a haemorrhagic cyst.
            Comparison with the prior study shows interval enlargement of the lesion.
            """;

    /** GPT-2's reversible map of the 256 byte values onto printable code points. */
    static int[] byteToChar() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) bs.add(b);
        for (int b = 0xA1; b <= 0xAC; b++) bs.add(b);
        for (int b = 0xAE; b <= 0xFF; b++) bs.add(b);
        int[] map = new int[256];
        for (int b : bs) map[b] = b;
        int n = 0;
        for (int b = 0; b < 256; b++) if (!bs.contains(b)) map[b] = 256 + n++;
        return map;
    }

    static String learn(String corpus, int merges) throws Exception {
        int[] map = byteToChar();
        List<List<String>> words = new ArrayList<>();
        for (String line : corpus.strip().split("\n")) {
            String[] parts = line.strip().split(" ");
            for (int i = 0; i < parts.length; i++) {
                byte[] bytes = ((i == 0 ? "" : " ") + parts[i]).getBytes(StandardCharsets.UTF_8);
                List<String> symbols = new ArrayList<>();
                for (byte b : bytes) symbols.add(new String(Character.toChars(map[b & 0xFF])));
                words.add(symbols);
            }
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) vocab.put(new String(Character.toChars(map[b])), b);
        List<String> learnt = new ArrayList<>();
        for (int m = 0; m < merges; m++) {
            Map<String, Integer> counts = new HashMap<>();
            for (List<String> w : words) {
                for (int i = 0; i + 1 < w.size(); i++) counts.merge(w.get(i) + " " + w.get(i + 1), 1, Integer::sum);
            }
            String best = null;
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                if (best == null || e.getValue() > counts.get(best) || (e.getValue().equals(counts.get(best)) && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                }
            }
            if (best == null || counts.get(best) < 2) break;
            String[] ab = best.split(" ", 2);
            String joined = ab[0] + ab[1];
            learnt.add(best);
            vocab.putIfAbsent(joined, vocab.size());
            for (List<String> w : words) {
                for (int i = 0; i + 1 < w.size(); i++) {
                    if (w.get(i).equals(ab[0]) && w.get(i + 1).equals(ab[1])) {
                        w.set(i, joined);
                        w.remove(i + 1);
                    }
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ObjectNode eot = root.putArray("added_tokens").addObject();
        eot.put("id", vocab.size()).put("content", "<|endoftext|>").put("single_word", false).put("lstrip", false)
                .put("rstrip", false).put("normalized", false).put("special", true);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(json, false));
        root.set("post_processor", byteLevel(json, true));
        root.set("decoder", byteLevel(json, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.putNull("unk_token");
        model.put("continuing_subword_prefix", "").put("end_of_word_suffix", "").put("fuse_unk", false).put("byte_fallback", false);
        ObjectNode v = model.putObject("vocab");
        vocab.put("<|endoftext|>", vocab.size());
        vocab.forEach(v::put);
        ArrayNode mg = model.putArray("merges");
        learnt.forEach(mg::add);
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    }

    private static ObjectNode byteLevel(ObjectMapper json, boolean prefixSpace) {
        ObjectNode n = json.createObjectNode();
        n.put("type", "ByteLevel").put("add_prefix_space", prefixSpace).put("trim_offsets", true).put("use_regex", true);
        return n;
    }

    private ByteLevelBpe() {}
}
