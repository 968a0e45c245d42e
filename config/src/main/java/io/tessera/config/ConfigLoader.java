package io.tessera.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads configuration: built-in defaults, then the YAML file, then {@code TESSERA_*} environment variables, then
 * {@code --key=value} arguments; binds it to {@link TesseraConfig} and validates it, reporting every violation with its path.
 */
public final class ConfigLoader {
    private static final ValidatorFactory VALIDATORS = Validation.buildDefaultValidatorFactory();
    private final ObjectMapper yaml;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule();
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return DurationParser.parse(p.getValueAsString());
                } catch (RuntimeException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
        yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** {@code file} may be null (defaults only). Cross references to models are not checked. */
    public TesseraConfig load(Path file, Map<String, String> env, List<String> args) throws ConfigException {
        return load(file, env, args, c -> null);
    }

    /**
     * As {@link #load(Path, Map, List)}, and also checks every cross reference (destinations, and models against the names
     * {@code knownModels} finds for the bound configuration), reporting them together with the constraint violations.
     */
    public TesseraConfig load(Path file, Map<String, String> env, List<String> args,
                              java.util.function.Function<TesseraConfig, Set<String>> knownModels) throws ConfigException {
        List<String> problems = new ArrayList<>();
        ObjectNode root = defaults();
        if (file != null) {
            try {
                JsonNode user = yaml.readTree(Files.readString(file));
                if (user != null && !user.isMissingNode() && !user.isNull()) {
                    if (!(user instanceof ObjectNode obj)) throw new ConfigException(List.of(file + ": top level must be a map"));
                    merge(root, obj);
                }
            } catch (JsonProcessingException e) {
                throw new ConfigException(List.of(file + ": not valid YAML: " + e.getOriginalMessage()));
            } catch (IOException e) {
                throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
            }
        }
        Overrides.applyEnvironment(root, env, problems);
        Overrides.applyArguments(root, args, problems);
        if (!problems.isEmpty()) throw new ConfigException(problems);
        TesseraConfig config = bind(root);
        Set<String> violations = violations(config);
        List<String> all = new ArrayList<>(violations);
        if (config.dicom() != null) {
            all.addAll(DicomUids.problems(config.dicom()));
            all.addAll(AllowListEntries.problems(config.dicom().allowedCallingAeTitles()));
        }
        if (violations.isEmpty()) all.addAll(SecureDefaults.problems(config));
        if (config.hl7() != null) all.addAll(AllowListEntries.networkProblems("hl7.allowedSenders", config.hl7().allowedSenders()));
        if (config.routes() != null && config.destinations() != null && config.routes().stream().allMatch(java.util.Objects::nonNull)) {
            all.addAll(referenceProblems(config, violations.stream().anyMatch(v -> v.startsWith("models.")) ? null : knownModels.apply(config)));
        }
        all.addAll(CredentialChecks.problems(config));
        if (!all.isEmpty()) throw new ConfigException(all);
        return config;
    }

    /** Checks cross references: route destinations and (when {@code knownModels} is given) model names. */
    public static List<String> referenceProblems(TesseraConfig config, Set<String> knownModels) {
        List<String> problems = new ArrayList<>();
        Set<String> destinations = new TreeSet<>();
        for (int i = 0; i < config.destinations().size(); i++) {
            String name = config.destinations().get(i).name();
            if (!destinations.add(name)) problems.add("destinations[" + i + "].name: duplicate destination '" + name + "'");
        }
        Set<String> routeNames = new TreeSet<>();
        for (int r = 0; r < config.routes().size(); r++) {
            RouteConfig route = config.routes().get(r);
            if (!routeNames.add(route.name())) problems.add("routes[" + r + "].name: duplicate route '" + route.name() + "'");
            for (int d = 0; d < route.destinations().size(); d++) {
                String dest = route.destinations().get(d);
                if (!destinations.contains(dest)) {
                    problems.add("routes[" + r + "].destinations[" + d + "]: unknown destination '" + dest + "' (known: " + destinations + ")");
                }
            }
            if (knownModels != null) {
                for (int m = 0; m < route.models().size(); m++) {
                    String model = route.models().get(m);
                    if (!knownModels.contains(model)) {
                        problems.add("routes[" + r + "].models[" + m + "]: unknown model '" + model + "' (known: " + new TreeSet<>(knownModels) + ")");
                    }
                }
            }
            if (route.match() != null) {
                route.match().attributesOrNone().forEach((keyword, c) -> {
                    String at = "routes[" + routeIndex(config, route) + "].match.attributes." + keyword;
                    if (!keyword.matches("[A-Za-z][A-Za-z0-9]*")) problems.add(at + ": not a DICOM keyword");
                    if (c == null) {
                        problems.add(at + ": needs a value or one of equals, in, regex, min/max, contains, present");
                        return;
                    }
                    if (c.regex() != null) {
                        try {
                            java.util.regex.Pattern.compile(c.regex());
                        } catch (java.util.regex.PatternSyntaxException e) {
                            problems.add(at + ".regex: not a regular expression: " + e.getDescription());
                        }
                    }
                    if (c.min() != null && c.max() != null && c.min() > c.max()) problems.add(at + ": min is greater than max");
                });
                String window = route.match().timeOfDay();
                if (window != null && !window.matches("\\s*([01]\\d|2[0-3]):[0-5]\\d\\s*-\\s*([01]\\d|2[0-3]):[0-5]\\d\\s*")) {
                    problems.add("routes[" + routeIndex(config, route) + "].match.timeOfDay: must be HH:mm-HH:mm, e.g. 08:00-18:00");
                }
            }
            if (route.match() != null && route.match().seriesDescription() != null) {
                try {
                    java.util.regex.Pattern.compile(route.match().seriesDescription());
                } catch (java.util.regex.PatternSyntaxException e) {
                    problems.add("routes[" + r + "].match.seriesDescription: not a regular expression: " + e.getDescription());
                }
            }
        }
        return problems;
    }

    private static int routeIndex(TesseraConfig config, RouteConfig route) {
        return config.routes().indexOf(route);
    }

    private ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/tessera-defaults.yaml")) {
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("built-in defaults unreadable", e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode t && e.getValue() instanceof ObjectNode s) merge(t, s);
            else target.set(e.getKey(), e.getValue());
        }
    }

    private TesseraConfig bind(ObjectNode root) throws ConfigException {
        try {
            return yaml.treeToValue(root, TesseraConfig.class);
        } catch (JsonMappingException e) {
            throw new ConfigException(List.of(path(e) + ": " + e.getOriginalMessage().replaceAll(" \\(class [^)]*\\)", "")
                    .replaceAll(", not marked as ignorable.*", "")));
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of("configuration: " + e.getOriginalMessage()));
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "configuration" : sb.toString();
    }

    private static Set<String> violations(TesseraConfig config) {
        Validator validator = VALIDATORS.getValidator();
        Set<String> problems = new TreeSet<>();
        for (ConstraintViolation<TesseraConfig> v : validator.validate(config)) {
            String p = v.getPropertyPath().toString()
                    .replaceAll("^clusterIndexComplete$", "storage.indexUrl")
                    .replaceAll("^clusterSharedDirComplete$", "storage.sharedDir")
                    .replaceAll("^cluster\\.brokerUrlComplete$", "cluster.brokerUrl")
                    .replaceAll("^cluster\\.heartbeatInRange$", "cluster.heartbeat")
                    .replaceAll("\\.<list element>", "")
                    .replaceAll("\\.<map (key|value)>", "").replace("<K>[", "[")
                    .replaceAll("\\.(is|)([A-Z]\\w*)(Complete|InRange)$", "")
                    .replaceAll("\\.quietPeriodInRange$", ".quietPeriod")
                    .replaceAll("\\.(dicom|folder|fhir)Complete$", "");
            problems.add(p + ": " + v.getMessage());
        }
        return problems;
    }
}
