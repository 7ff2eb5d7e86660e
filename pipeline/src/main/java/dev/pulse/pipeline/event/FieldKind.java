package dev.pulse.pipeline.event;

import dev.pulse.api.v1alpha1.eventstream.FieldType;

/** Where a field's value lives in an {@link Event}. */
public enum FieldKind {
    EVENT_TYPE, ACTOR, TIMESTAMP, STRING, LONG, DOUBLE, BOOLEAN;

    /** The kind of a schema field of the given type. */
    public static FieldKind of(FieldType type) {
        return switch (type) {
            case STRING -> STRING;
            case LONG -> LONG;
            case DOUBLE -> DOUBLE;
            case BOOLEAN -> BOOLEAN;
        };
    }
}
