package io.tessera.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The error-code registry, docs/error-codes.md, against every {@code TSR-NNNN} in the main sources of every module
 * (the tests run in {@code app}, so the source tree is {@code ..}). A code belongs to one module, the one whose range
 * holds it; other modules may mention it only where the registry lists them under "Also in" (same meaning).
 */
class ErrorCodeRegistryTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path REGISTRY = ROOT.resolve("docs/error-codes.md");
    private static final Pattern CODE = Pattern.compile("TSR-\\d{4}");
    private static final Pattern RANGE_ROW = Pattern.compile("^\\| (TSR-\\d{4}) \\| (TSR-\\d{4}) \\| ([a-z-]+) \\|");
    private static final Pattern CODE_ROW = Pattern.compile("^\\| (TSR-\\d{4}) \\| ([a-z-]+) \\| ([a-z, -]*) \\|");

    record Range(String from, String to, String module) {
        boolean holds(String code) {
            return code.compareTo(from) >= 0 && code.compareTo(to) <= 0;
        }
    }

    record Entry(String module, Set<String> alsoIn) {}

    /** code -> module -> files (relative to the root) that use it. */
    private static final Map<String, Map<String, Set<String>>> USED = new TreeMap<>();
    private static final List<Range> RANGES = new ArrayList<>();
    private static final Map<String, Entry> DOCUMENTED = new TreeMap<>();

    @BeforeAll
    static void scan() throws IOException {
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
                try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                        Matcher m = CODE.matcher(Files.readString(f, StandardCharsets.UTF_8));
                        while (m.find()) {
                            USED.computeIfAbsent(m.group(), c -> new TreeMap<>())
                                    .computeIfAbsent(module.getFileName().toString(), x -> new TreeSet<>())
                                    .add(ROOT.relativize(f).toString());
                        }
                    }
                }
            }
        }
        String section = "";
        for (String line : Files.readAllLines(REGISTRY, StandardCharsets.UTF_8)) {
            if (line.startsWith("## ")) section = line.substring(3).trim();
            Matcher r = RANGE_ROW.matcher(line);
            if (section.equals("Ranges") && r.find()) RANGES.add(new Range(r.group(1), r.group(2), r.group(3)));
            Matcher c = CODE_ROW.matcher(line);
            if (section.equals("Codes") && c.find()) {
                Set<String> also = new TreeSet<>();
                for (String s : c.group(3).split(",")) if (!s.isBlank()) also.add(s.trim());
                Entry previous = DOCUMENTED.put(c.group(1), new Entry(c.group(2), also));
                assertTrue(previous == null, c.group(1) + " is listed twice in " + REGISTRY);
            }
        }
        assertTrue(USED.size() > 100, "expected the main sources under " + ROOT + ", found " + USED.size() + " codes");
        assertTrue(!RANGES.isEmpty() && !DOCUMENTED.isEmpty(), "no ranges or codes read from " + REGISTRY);
    }

    @Test
    void every_code_in_the_main_sources_is_documented() {
        List<String> missing = new ArrayList<>();
        USED.forEach((code, where) -> {
            if (!DOCUMENTED.containsKey(code)) missing.add(code + " " + where.values());
        });
        assertTrue(missing.isEmpty(), "codes used but not in docs/error-codes.md: " + missing);
    }

    @Test
    void every_documented_code_is_still_used() {
        Set<String> stale = new TreeSet<>(DOCUMENTED.keySet());
        stale.removeAll(USED.keySet());
        assertTrue(stale.isEmpty(), "codes in docs/error-codes.md that no main source uses any more: " + stale);
    }

    @Test
    void a_code_is_used_only_by_its_module_and_those_sharing_its_meaning() {
        List<String> wrong = new ArrayList<>();
        USED.forEach((code, where) -> {
            Entry e = DOCUMENTED.get(code);
            if (e == null) return;
            if (!where.containsKey(e.module())) wrong.add(code + " is documented as " + e.module() + "'s but " + e.module() + " does not use it");
            where.forEach((module, files) -> {
                if (!module.equals(e.module()) && !e.alsoIn().contains(module)) {
                    wrong.add(code + " belongs to " + e.module() + " but is also used in " + files
                            + " (renumber it from " + module + "'s range, or list " + module + " under Also in if the meaning is the same)");
                }
            });
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void ranges_do_not_overlap_and_each_code_lies_in_its_modules_range() {
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < RANGES.size(); i++) {
            Range a = RANGES.get(i);
            if (a.from().compareTo(a.to()) > 0) wrong.add("range " + a + " is empty");
            for (int j = i + 1; j < RANGES.size(); j++) {
                Range b = RANGES.get(j);
                if (a.from().compareTo(b.to()) <= 0 && b.from().compareTo(a.to()) <= 0) wrong.add(a + " overlaps " + b);
            }
        }
        DOCUMENTED.forEach((code, e) -> {
            List<Range> holding = RANGES.stream().filter(r -> r.holds(code)).toList();
            if (holding.isEmpty()) wrong.add(code + " lies in no range");
            else if (!holding.get(0).module().equals(e.module())) wrong.add(code + " is " + e.module() + "'s but lies in " + holding.get(0));
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}
