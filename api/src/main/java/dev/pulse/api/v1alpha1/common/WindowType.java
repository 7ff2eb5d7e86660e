package dev.pulse.api.v1alpha1.common;

/** The kinds of event-time windows. */
public enum WindowType {
    tumbling, hopping, cumulative
}
