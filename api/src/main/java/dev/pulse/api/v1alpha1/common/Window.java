package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import lombok.AllArgsConstructor;
import lombok.Data;
import lombok.NoArgsConstructor;

/** An event-time window aligned to the UTC epoch. */
@Data
@NoArgsConstructor
@AllArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'hopping' || has(self.slide)", message = "a hopping window needs 'slide'", fieldPath = ".slide")
@ValidationRule(value = "self.type != 'cumulative' || has(self.step)", message = "a cumulative window needs 'step'", fieldPath = ".step")
@ValidationRule(value = "self.type == 'hopping' || !has(self.slide)", message = "'slide' is only for hopping windows", fieldPath = ".slide")
@ValidationRule(value = "self.type == 'cumulative' || !has(self.step)", message = "'step' is only for cumulative windows", fieldPath = ".step")
public class Window {
    @Required
    @JsonPropertyDescription("tumbling [k*size, (k+1)*size); hopping [k*slide, k*slide+size); cumulative: within each size period from k*size, results for [start, start+j*step).")
    private WindowType type;

    @Required
    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Window length, e.g. 1m, 1h, 1d.")
    private String size;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Hopping only: distance between window starts; less than size and dividing it.")
    private String slide;

    @Pattern(Durations.PATTERN)
    @JsonPropertyDescription("Cumulative only: the growth step of the window; divides size.")
    private String step;

    public Window(WindowType type, String size) {
        this.type = type;
        this.size = size;
    }
}
