package dev.pulse.pipeline.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses one JSON record into an {@link Event}, once, with a streaming parser: only the fields
 * the plan uses are read, everything else is skipped. A JSON {@code null} is a missing value.
 * A record that is not a JSON object, lacks a valid timestamp, or has a value of the wrong type
 * for a schema field comes back with {@link Event#error} set. Not thread-safe: one per task.
 */
public final class EventParser {
    private static final int MAX_RAW_CHARS = 4096;
    private final EventLayout layout;
    // field names come back interned, so the plan's few fields are found by identity
    private final JsonFactory json = JsonFactory.builder()
            .enable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .enable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    private final String[] names;
    private final FieldRef[] refs;
    private final String timestampField;
    private final String timestampFormat;

    public EventParser(EventLayout layout) {
        this.layout = layout;
        this.names = layout.fields().keySet().stream().map(String::intern).toArray(String[]::new);
        this.refs = layout.fields().values().toArray(FieldRef[]::new);
        this.timestampField = layout.timestampField();
        this.timestampFormat = layout.timestampFormat();
    }

    public Event parse(byte[] body) {
        return parse(body, 0, body.length);
    }

    public Event parse(byte[] body, int offset, int length) {
        Event e = layout.newEvent();
        try (JsonParser p = json.createParser(body, offset, length)) {
            String error = read(p, e);
            if (error != null) {
                return malformed(e, error, body, offset, length);
            }
            return e;
        } catch (InputCoercionException ex) {
            return malformed(e, "a number is out of range: " + firstLine(ex.getOriginalMessage()), body, offset, length);
        } catch (IOException ex) {
            return malformed(e, "not valid JSON: " + firstLine(ex.getMessage()), body, offset, length);
        }
    }

    private String read(JsonParser p, Event e) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return "not a JSON object";
        }
        boolean hasTime = false;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            FieldRef ref = field(p.currentName());
            JsonToken v = p.nextToken();
            if (ref == null) {
                p.skipChildren();
                continue;
            }
            if (v == JsonToken.VALUE_NULL) {
                clear(e, ref);
                continue;
            }
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                return "field '" + ref.name() + "' holds a JSON " + (v == JsonToken.START_OBJECT ? "object" : "array")
                        + "; the schema wants a scalar";
            }
            String error = switch (ref.kind()) {
                case EVENT_TYPE -> {
                    e.type = p.getText();
                    yield null;
                }
                case ACTOR -> {
                    e.actor = p.getText();
                    yield null;
                }
                case STRING -> {
                    e.strings[slot(ref)] = p.getText();
                    yield null;
                }
                case LONG -> readLong(p, v, e, ref);
                case DOUBLE -> readDouble(p, v, e, ref);
                case BOOLEAN -> readBoolean(v, e, ref);
                case TIMESTAMP -> {
                    String err = readTime(p, v, e);
                    hasTime = err == null;
                    yield err;
                }
            };
            if (error != null) {
                return error;
            }
        }
        if (t != JsonToken.END_OBJECT) {
            return "not a JSON object";
        }
        if (p.nextToken() != null) {
            return "more than one JSON value";
        }
        return hasTime ? null : "no timestamp: field '" + timestampField + "' is missing or null";
    }

    private FieldRef field(String internedName) {
        for (int i = 0; i < names.length; i++) {
            if (names[i] == internedName) {
                return refs[i];
            }
        }
        return null;
    }

    private String readLong(JsonParser p, JsonToken v, Event e, FieldRef ref) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT) {
            return "field '" + ref.name() + "' must be a long, not " + describe(v);
        }
        e.longs[slot(ref)] = p.getLongValue();
        e.present[presence(ref)] = true;
        return null;
    }

    private String readDouble(JsonParser p, JsonToken v, Event e, FieldRef ref) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            return "field '" + ref.name() + "' must be a double, not " + describe(v);
        }
        e.doubles[slot(ref)] = p.getDoubleValue();
        e.present[presence(ref)] = true;
        return null;
    }

    private String readBoolean(JsonToken v, Event e, FieldRef ref) {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            return "field '" + ref.name() + "' must be a boolean, not " + describe(v);
        }
        e.booleans[slot(ref)] = v == JsonToken.VALUE_TRUE;
        e.present[presence(ref)] = true;
        return null;
    }

    private String readTime(JsonParser p, JsonToken v, Event e) throws IOException {
        switch (timestampFormat) {
            case "iso8601" -> {
                if (v != JsonToken.VALUE_STRING) {
                    return "timestamp '" + timestampField + "' must be an ISO-8601 string, not " + describe(v);
                }
                String text = p.getText();
                try {
                    e.time = Instant.parse(text).toEpochMilli();
                } catch (DateTimeParseException ex) {
                    try {
                        e.time = OffsetDateTime.parse(text).toInstant().toEpochMilli();
                    } catch (DateTimeParseException ex2) {
                        return "timestamp '" + timestampField + "' is not ISO-8601: '" + text + "'";
                    }
                }
            }
            case "epochSeconds" -> {
                if (v == JsonToken.VALUE_NUMBER_INT) {
                    e.time = Math.multiplyExact(p.getLongValue(), 1000L);
                } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                    e.time = (long) Math.floor(p.getDoubleValue() * 1000.0);
                } else {
                    return "timestamp '" + timestampField + "' must be epoch seconds, not " + describe(v);
                }
            }
            default -> {
                if (v == JsonToken.VALUE_NUMBER_INT) {
                    e.time = p.getLongValue();
                } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
                    e.time = (long) Math.floor(p.getDoubleValue());
                } else {
                    return "timestamp '" + timestampField + "' must be epoch milliseconds, not " + describe(v);
                }
            }
        }
        return null;
    }

    private void clear(Event e, FieldRef ref) {
        switch (ref.kind()) {
            case EVENT_TYPE -> e.type = null;
            case ACTOR -> e.actor = null;
            case STRING -> e.strings[slot(ref)] = null;
            case LONG, DOUBLE, BOOLEAN -> e.present[presence(ref)] = false;
            case TIMESTAMP -> {
            }
        }
    }

    private static int slot(FieldRef ref) {
        return ref.slot();
    }

    private static int presence(FieldRef ref) {
        return ref.presence();
    }

    private static String describe(JsonToken v) {
        return switch (v) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> String.valueOf(v);
        };
    }

    private static Event malformed(Event e, String error, byte[] body, int offset, int length) {
        e.error = error;
        e.time = Long.MIN_VALUE;
        String raw = new String(body, offset, length, StandardCharsets.UTF_8);
        e.raw = raw.length() > MAX_RAW_CHARS ? raw.substring(0, MAX_RAW_CHARS) : raw;
        return e;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
