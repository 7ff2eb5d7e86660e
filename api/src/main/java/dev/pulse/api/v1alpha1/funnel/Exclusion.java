package dev.pulse.api.v1alpha1.funnel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.pulse.api.v1alpha1.common.EventFilter;
import dev.pulse.api.v1alpha1.common.WhereCondition;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import lombok.Data;
import lombok.NoArgsConstructor;

/** Events that disqualify an attempt while its level is in [fromStep, toStep). */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@ValidationRule(value = "self.fromStep < self.toStep", message = "fromStep must be less than toStep")
@ValidationRule(value = "(has(self.events) && size(self.events) > 0) || (has(self.where) && size(self.where) > 0) || has(self.expression)",
        message = "an exclusion needs at least one of 'events', 'where' or 'expression'")
public class Exclusion implements EventFilter {
    @Size(max = 50)
    @JsonPropertyDescription("Event types that disqualify; any of them.")
    private List<String> events;

    @Size(max = 20)
    @JsonPropertyDescription("Conditions that must all hold.")
    private List<WhereCondition> where;

    @JsonPropertyDescription("Optional CEL expression that must be true.")
    private String expression;

    @Required
    @Min(1)
    @Max(20)
    @JsonPropertyDescription("First level (1-based step number) at which the exclusion applies.")
    private Integer fromStep;

    @Required
    @Min(2)
    @Max(20)
    @JsonPropertyDescription("Level at which it stops applying; greater than fromStep and at most the number of steps.")
    private Integer toStep;
}
