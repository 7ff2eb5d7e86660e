package dev.pulse.api.plan;

/** One schema field a plan reads: its JSON name and type (string, long, double, boolean). */
public record FieldPlan(String name, String type) {
}
