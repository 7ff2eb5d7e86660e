package dev.pulse.pipeline.event;

import dev.pulse.api.plan.FieldPlan;
import dev.pulse.api.plan.StreamPlan;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The slots of an {@link Event} for one plan: the event type, actor and timestamp fields, then
 * one typed slot per {@link StreamPlan#fields()} entry. Built once; fields are resolved to
 * {@link FieldRef}s before any event flows.
 */
public final class EventLayout implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String timestampField;
    private final String timestampFormat;
    private final long maxFutureSkewMs;
    private final int maxRecordBytes;
    private final int maxValueLength;
    private final Map<String, FieldRef> fields = new LinkedHashMap<>();
    private int strings;
    private int longs;
    private int doubles;
    private int booleans;

    public EventLayout(StreamPlan stream) {
        this.timestampField = stream.timestampField();
        this.timestampFormat = stream.timestampFormat();
        this.maxFutureSkewMs = stream.maxFutureSkewMs();
        this.maxRecordBytes = stream.maxRecordBytes();
        this.maxValueLength = stream.maxValueLength();
        String tsFormat = stream.timestampFormat();
        fields.put(stream.eventTypeField(), new FieldRef(stream.eventTypeField(), FieldKind.EVENT_TYPE, -1, -1, tsFormat));
        fields.putIfAbsent(stream.actorField(), new FieldRef(stream.actorField(), FieldKind.ACTOR, -1, -1, tsFormat));
        fields.putIfAbsent(stream.timestampField(), new FieldRef(stream.timestampField(), FieldKind.TIMESTAMP, -1, -1, tsFormat));
        Map<String, FieldKind> kinds = new LinkedHashMap<>();
        for (FieldPlan f : stream.fields()) {
            if (!fields.containsKey(f.name())) {
                FieldKind kind = FieldKind.of(f.type());
                kinds.put(f.name(), kind);
                switch (kind) {
                    case STRING -> strings++;
                    case LONG -> longs++;
                    case DOUBLE -> doubles++;
                    default -> booleans++;
                }
            }
        }
        int[] next = new int[FieldKind.values().length];
        kinds.forEach((name, kind) -> {
            int slot = next[kind.ordinal()]++;
            int presence = kind == FieldKind.STRING ? -1 : presenceIndex(kind, slot);
            fields.put(name, new FieldRef(name, kind, slot, presence, tsFormat));
        });
    }

    public String timestampField() {
        return timestampField;
    }

    /** epochMillis, epochSeconds or iso8601. */
    public String timestampFormat() {
        return timestampFormat;
    }

    /** An event time later than the record's reference time plus this is malformed (future-time). */
    public long maxFutureSkewMs() {
        return maxFutureSkewMs;
    }

    /** A record value larger than this many bytes is malformed (too-large). */
    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** A string value longer than this many characters is malformed (bad-string). */
    public int maxValueLength() {
        return maxValueLength;
    }

    /** The index in {@link Event#present} of a slot of the given kind. */
    public int presenceIndex(FieldKind kind, int slot) {
        return switch (kind) {
            case LONG -> slot;
            case DOUBLE -> longs + slot;
            case BOOLEAN -> longs + doubles + slot;
            default -> throw new IllegalArgumentException(kind + " has no presence slot");
        };
    }

    /** The field, resolved; fails for a name the plan does not carry (the compiler prevents that). */
    public FieldRef field(String name) {
        FieldRef ref = fields.get(name);
        if (ref == null) {
            throw new IllegalArgumentException("the plan's stream carries no field '" + name + "'; it has " + fields.keySet());
        }
        return ref;
    }

    /** Every field by name, in slot order. */
    public Map<String, FieldRef> fields() {
        return Collections.unmodifiableMap(fields);
    }

    private static final String[] NO_STRINGS = {};
    private static final long[] NO_LONGS = {};
    private static final double[] NO_DOUBLES = {};
    private static final boolean[] NO_BOOLEANS = {};

    /** An empty event with slots sized for this layout (kinds without fields share one empty array). */
    public Event newEvent() {
        Event e = new Event();
        e.strings = strings == 0 ? NO_STRINGS : new String[strings];
        e.longs = longs == 0 ? NO_LONGS : new long[longs];
        e.doubles = doubles == 0 ? NO_DOUBLES : new double[doubles];
        e.booleans = booleans == 0 ? NO_BOOLEANS : new boolean[booleans];
        int presence = longs + doubles + booleans;
        e.present = presence == 0 ? NO_BOOLEANS : new boolean[presence];
        return e;
    }
}
