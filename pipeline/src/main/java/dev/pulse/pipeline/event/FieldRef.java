package dev.pulse.pipeline.event;

import java.io.Serializable;
import java.time.Instant;

/**
 * Reads one field of an {@link Event} without any lookup by name: resolved once from the
 * {@link EventLayout}, then used per event.
 */
public final class FieldRef implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String name;
    private final FieldKind kind;
    private final int slot;
    private final int presence;
    private final String timestampFormat;

    FieldRef(String name, FieldKind kind, int slot, int presence, String timestampFormat) {
        this.name = name;
        this.kind = kind;
        this.slot = slot;
        this.presence = presence;
        this.timestampFormat = timestampFormat;
    }

    public String name() {
        return name;
    }

    public FieldKind kind() {
        return kind;
    }

    /** The index in the typed array of its kind. */
    int slot() {
        return slot;
    }

    /** The index in {@link Event#present}, for long, double and boolean slots. */
    int presence() {
        return presence;
    }

    /** Whether the event has a (non-null) value for the field. */
    public boolean isPresent(Event e) {
        return switch (kind) {
            case EVENT_TYPE -> e.type != null;
            case ACTOR -> e.actor != null;
            case TIMESTAMP -> true;
            case STRING -> e.strings[slot] != null;
            case LONG, DOUBLE, BOOLEAN -> e.present[presence];
        };
    }

    /** Whether the field's values are numbers (long, double, or an epoch timestamp). */
    public boolean isNumeric() {
        return kind == FieldKind.LONG || kind == FieldKind.DOUBLE
                || (kind == FieldKind.TIMESTAMP && !"iso8601".equals(timestampFormat));
    }

    /** The value as a string (null when missing): what dimensions group by and countDistinct counts. */
    public String text(Event e) {
        if (!isPresent(e)) {
            return null;
        }
        return switch (kind) {
            case EVENT_TYPE -> e.type;
            case ACTOR -> e.actor;
            case STRING -> e.strings[slot];
            case LONG -> Long.toString(e.longs[slot]);
            case DOUBLE -> Double.toString(e.doubles[slot]);
            case BOOLEAN -> Boolean.toString(e.booleans[slot]);
            case TIMESTAMP -> "iso8601".equals(timestampFormat) ? Instant.ofEpochMilli(e.time).toString() : Long.toString(timestampValue(e));
        };
    }

    /** A numeric value (call only when present and numeric). */
    public double number(Event e) {
        return switch (kind) {
            case LONG -> e.longs[slot];
            case DOUBLE -> e.doubles[slot];
            case TIMESTAMP -> timestampValue(e);
            default -> throw new IllegalStateException(name + " is not numeric");
        };
    }

    /** A long value (call only when present and of kind LONG or an epoch TIMESTAMP). */
    public long longValue(Event e) {
        return kind == FieldKind.TIMESTAMP ? timestampValue(e) : e.longs[slot];
    }

    public boolean booleanValue(Event e) {
        return e.booleans[slot];
    }

    /** The value as CEL sees it (String, Long, Double or Boolean), or null when missing. */
    public Object celValue(Event e) {
        if (!isPresent(e)) {
            return null;
        }
        return switch (kind) {
            case EVENT_TYPE, ACTOR, STRING -> text(e);
            case LONG -> e.longs[slot];
            case DOUBLE -> e.doubles[slot];
            case BOOLEAN -> e.booleans[slot];
            case TIMESTAMP -> "iso8601".equals(timestampFormat) ? text(e) : (Object) timestampValue(e);
        };
    }

    /** The timestamp field as the record had it: epoch millis or epoch seconds. */
    private long timestampValue(Event e) {
        return "epochSeconds".equals(timestampFormat) ? Math.floorDiv(e.time, 1000) : e.time;
    }
}
