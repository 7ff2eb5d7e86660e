package dev.pulse.api.plan;

import dev.pulse.api.v1alpha1.eventstream.FieldType;

/** One schema field a plan reads: its JSON name and type. */
public record FieldPlan(String name, FieldType type) {
}
