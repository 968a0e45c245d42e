package io.tessera.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A test on one DICOM attribute of a series (its first instance). Written in YAML either as a plain value (exact match,
 * case-insensitive: {@code Manufacturer: SIEMENS}) or as a map with one of: {@code in: [A, B]} (any of),
 * {@code regex: "..."} (searched, case-insensitive), {@code min:}/{@code max:} (numeric range, inclusive),
 * {@code contains: AXIAL} (one of the backslash-separated values, e.g. of ImageType), {@code present: false}.
 */
public record AttributeCondition(String equals, List<String> in, String regex, Double min, Double max, String contains,
                                 Boolean present) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static AttributeCondition of(String value) {
        return new AttributeCondition(value, null, null, null, null, null, null);
    }

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public static AttributeCondition of(@JsonProperty("equals") String equals, @JsonProperty("in") List<String> in,
                                        @JsonProperty("regex") String regex, @JsonProperty("min") Double min,
                                        @JsonProperty("max") Double max, @JsonProperty("contains") String contains,
                                        @JsonProperty("present") Boolean present) {
        return new AttributeCondition(equals, in, regex, min, max, contains, present);
    }

    /** How this condition reads in a dry-run explanation. */
    public String describe() {
        if (present != null) return present ? "present" : "absent";
        if (equals != null) return "= " + equals;
        if (in != null) return "in " + in;
        if (regex != null) return "~ /" + regex + "/";
        if (contains != null) return "contains " + contains;
        return "in [" + (min == null ? "-inf" : min) + ", " + (max == null ? "+inf" : max) + "]";
    }
}
