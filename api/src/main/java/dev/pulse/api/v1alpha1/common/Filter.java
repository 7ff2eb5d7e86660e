package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/**
 * Which events an analysis (or one side, step or exclusion of it) looks at: all three parts must
 * hold; an absent part holds for every event.
 */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class Filter implements EventFilter {
    @Size(max = 50)
    @JsonPropertyDescription("Event types (values of the stream's eventTypeField) that pass; any of them. Empty: every type.")
    private List<String> events;

    @Size(max = 20)
    @JsonPropertyDescription("Conditions that must all hold, like a label selector's matchExpressions.")
    private List<WhereCondition> where;

    @JsonPropertyDescription("Optional CEL expression over the stream's fields that must be true; an event on which it errors does not pass.")
    private String expression;
}
