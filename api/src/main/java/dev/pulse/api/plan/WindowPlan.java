package dev.pulse.api.plan;

/** A window in milliseconds; {@code slideMs} (hopping) and {@code stepMs} (cumulative) are 0 otherwise. */
public record WindowPlan(String type, long sizeMs, long slideMs, long stepMs) {
}
