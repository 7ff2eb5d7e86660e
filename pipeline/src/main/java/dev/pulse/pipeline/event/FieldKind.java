package dev.pulse.pipeline.event;

/** Where a field's value lives in an {@link Event}. */
public enum FieldKind {
    EVENT_TYPE, ACTOR, TIMESTAMP, STRING, LONG, DOUBLE, BOOLEAN;

    /** The kind of a schema field of the given plan type (string, long, double, boolean). */
    public static FieldKind ofType(String type) {
        return switch (type) {
            case "string" -> STRING;
            case "long" -> LONG;
            case "double" -> DOUBLE;
            case "boolean" -> BOOLEAN;
            default -> throw new IllegalArgumentException("unknown field type '" + type + "'");
        };
    }
}
