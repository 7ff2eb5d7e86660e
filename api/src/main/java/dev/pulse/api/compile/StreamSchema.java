package dev.pulse.api.compile;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.eventstream.EventStreamSpec;
import dev.pulse.api.v1alpha1.eventstream.FieldSpec;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import dev.pulse.api.v1alpha1.eventstream.TimestampSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The fields a definition over a stream may name, with their types. */
public final class StreamSchema {
    private final Map<String, FieldType> fields;
    private final String eventTypeField;
    private final String actorField;

    StreamSchema(EventStream stream) {
        EventStreamSpec spec = stream.getSpec();
        Map<String, FieldType> all = new LinkedHashMap<>();
        eventTypeField = spec.getEventTypeField();
        actorField = spec.getActorField();
        if (eventTypeField != null) {
            all.put(eventTypeField, FieldType.STRING);
        }
        if (actorField != null) {
            all.put(actorField, FieldType.STRING);
        }
        if (spec.getTimestamp() != null && spec.getTimestamp().getField() != null) {
            TimestampSpec.TimestampFormat format = spec.getTimestamp().getFormat();
            all.put(spec.getTimestamp().getField(),
                    format == TimestampSpec.TimestampFormat.iso8601 ? FieldType.STRING : FieldType.LONG);
        }
        if (spec.getFields() != null) {
            for (FieldSpec f : spec.getFields()) {
                if (f.getName() != null && f.getType() != null) {
                    all.putIfAbsent(f.getName(), f.getType());
                }
            }
        }
        this.fields = Collections.unmodifiableMap(all);
    }

    public Optional<FieldType> type(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    public Map<String, FieldType> fields() {
        return fields;
    }

    public String eventTypeField() {
        return eventTypeField;
    }

    public String actorField() {
        return actorField;
    }

    /** The names a user may pick from, for error messages. */
    public String describe() {
        return String.join(", ", fields.keySet());
    }
}
