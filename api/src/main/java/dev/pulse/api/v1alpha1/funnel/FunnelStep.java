package dev.pulse.api.v1alpha1.funnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.EventFilter;
import dev.pulse.api.v1alpha1.common.WhereCondition;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** One step of a funnel: a name and the events that match it. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "(has(self.events) && size(self.events) > 0) || (has(self.where) && size(self.where) > 0) || has(self.expression)",
        message = "a step needs at least one of 'events', 'where' or 'expression'")
public class FunnelStep implements EventFilter {
    @Required
    @Pattern("^[a-z0-9]([-_a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("The step's name, shown on dashboards: lowercase letters, digits, '-' and '_'.")
    private String name;

    @Size(max = 50)
    @JsonPropertyDescription("Event types that match the step; any of them.")
    private List<String> events;

    @Size(max = 20)
    @JsonPropertyDescription("Conditions that must all hold.")
    private List<WhereCondition> where;

    @JsonPropertyDescription("Optional CEL expression that must be true.")
    private String expression;
}
