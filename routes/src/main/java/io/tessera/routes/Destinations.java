package io.tessera.routes;

import io.tessera.config.DestinationConfig;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The configured destinations by name, each made once, by its {@code type}, into its {@link Destination} class. */
public final class Destinations {
    private final Map<String, Destination> byName = new LinkedHashMap<>();

    private Destinations(List<DestinationConfig> configs) {
        configs.forEach(c -> byName.put(c.name(), of(c)));
    }

    public static Destinations of(List<DestinationConfig> configs) {
        return new Destinations(configs);
    }

    /** The one place a destination's {@code type} is read. */
    public static Destination of(DestinationConfig config) {
        return switch (String.valueOf(config.type())) {
            case "dicom" -> new DicomDestination(config);
            case "folder" -> new FolderDestination(config);
            case "fhir" -> FhirDestination.of(config);
            case "hl7" -> new Hl7Destination(config);
            default -> new Unsupported(config);
        };
    }

    public Optional<Destination> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The named destinations in order; a name not configured gives null (the loader refuses such routes). */
    public List<Destination> named(List<String> names) {
        return names.stream().map(byName::get).toList();
    }

    public Collection<Destination> all() {
        return byName.values();
    }

    /** A type the configuration should have refused: every send fails permanently. */
    private record Unsupported(DestinationConfig config) implements Destination {
        @Override
        public boolean takesImages() {
            return true;
        }

        @Override
        public String auditTarget() {
            return String.valueOf(config.path());
        }

        @Override
        public void send(Transport via, String studyUid, String sopInstanceUid, Path file) throws Deliverer.DeliveryException {
            throw new Deliverer.DeliveryException("TSR-0700: destination '" + config.name() + "' has unsupported type "
                    + config.type(), false);
        }
    }
}
