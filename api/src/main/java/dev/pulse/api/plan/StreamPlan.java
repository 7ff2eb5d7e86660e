package dev.pulse.api.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The stream a plan reads and how its records are parsed.
 *
 * @param fields the schema fields any analysis uses (sorted by name), besides the three below
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StreamPlan(
        String namespace,
        String name,
        String topic,
        String consumerGroup,
        String format,
        String eventTypeField,
        String actorField,
        String timestampField,
        String timestampFormat,
        long maxOutOfOrdernessMs,
        long idleTimeoutMs,
        List<FieldPlan> fields,
        int parallelism,
        boolean suspend) {
}
