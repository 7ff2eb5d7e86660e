package dev.pulse.api.v1alpha1.eventstream;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One field of a stream's schema. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FieldSpec {
    /** Field names: an identifier usable in CEL and, lowercased, as a SQL column. */
    public static final String NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]{0,62}$";

    @Required
    @Pattern(NAME_PATTERN)
    @JsonPropertyDescription("The JSON property name: a letter or '_' then letters, digits or '_', at most 63 characters.")
    private String name;

    @Required
    @JsonPropertyDescription("string, long, double or boolean.")
    private FieldType type;
}
