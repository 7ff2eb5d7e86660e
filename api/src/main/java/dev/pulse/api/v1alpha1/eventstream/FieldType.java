package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Types of stream fields. */
public enum FieldType {
    @JsonProperty("string") STRING,
    @JsonProperty("long") LONG,
    @JsonProperty("double") DOUBLE,
    @JsonProperty("boolean") BOOLEAN;

    /** Whether values of this type can be summed, averaged and compared by size. */
    public boolean isNumeric() {
        return this == LONG || this == DOUBLE;
    }

    /** The name written in YAML. */
    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
