package dev.pulse.api.plan;

import dev.pulse.api.v1alpha1.common.WindowType;

/** A window in milliseconds; {@code slideMs} (hopping) and {@code stepMs} (cumulative) are 0 otherwise. */
public record WindowPlan(WindowType type, long sizeMs, long slideMs, long stepMs) {
}
