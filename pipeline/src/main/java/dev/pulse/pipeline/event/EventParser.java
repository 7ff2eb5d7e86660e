package dev.pulse.pipeline.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.pulse.api.plan.DeadLetters.Reason;
import dev.pulse.api.v1alpha1.common.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Admits one record of a stream (docs/bad-events.md): parses it into an {@link Event}, once, with
 * a streaming parser, or finds it malformed. Every declared field of the stream is checked,
 * whichever analyses read it; other properties are only checked to be JSON. A JSON {@code null} is
 * a missing value.
 *
 * <p>A malformed record gets the first {@link Reason} in the order of the enum that applies to
 * it, wherever its problems are in the document: the whole record is read, the earliest reason
 * found is kept, and decided at the end. No exception escapes {@link #parse}.
 *
 * <p>Not thread-safe: one per task. No per-event maps: fields are found in a table built once.
 */
public final class EventParser {
    /** JSON nested deeper than this is not JSON to Pulse (not-json). */
    public static final int MAX_DEPTH = 64;
    /** The latest event time that can be represented: 9999-12-31T23:59:59.999Z. */
    public static final long MAX_TIME = 253_402_300_799_999L;
    /** A reference time meaning "none": no future-time check (a Kafka record without timestamp). */
    public static final long NO_REFERENCE = Long.MIN_VALUE;
    private static final int MAX_QUOTED = 80;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final EventLayout layout;
    // field names come back interned, so fields are found by identity in a table built once
    private final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .enable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();
    private final String[] table;
    private final FieldRef[] tableRefs;
    private final int mask;
    private final String timestampField;
    private final String timestampFormat;
    private final int maxRecordBytes;
    private final int maxValueLength;
    private final long maxFutureSkewMs;

    // the record being parsed: its earliest problem so far, and its time
    private Reason problem;
    private String problemDetail;
    private boolean hasTime;
    private String timeProblem;

    public EventParser(EventLayout layout) {
        this.layout = layout;
        int n = layout.fields().size();
        int size = Integer.highestOneBit(Math.max(4, n * 2 + 1)) << 1;
        this.table = new String[size];
        this.tableRefs = new FieldRef[size];
        this.mask = size - 1;
        layout.fields().forEach((name, ref) -> {
            String interned = name.intern();
            int i = interned.hashCode() & mask;
            while (table[i] != null) {
                i = (i + 1) & mask;
            }
            table[i] = interned;
            tableRefs[i] = ref;
        });
        this.timestampField = layout.timestampField();
        this.timestampFormat = layout.timestampFormat();
        this.maxRecordBytes = layout.maxRecordBytes();
        this.maxValueLength = layout.maxValueLength();
        this.maxFutureSkewMs = layout.maxFutureSkewMs();
    }

    /** Parses a whole array; see {@link #parse(byte[], int, int, long)}. */
    public Event parse(byte[] body, long referenceTime) {
        return parse(body, 0, body.length, referenceTime);
    }

    /**
     * Admits one record.
     *
     * @param referenceTime epoch milliseconds an event time may be ahead of by at most the stream's
     *        {@code maxFutureSkew}: the record's Kafka timestamp, or the wall clock in a replay;
     *        {@link #NO_REFERENCE} for none
     * @return the event; when malformed, with {@link Event#reason}, {@link Event#detail} and
     *         {@link Event#value} (the original bytes) set
     */
    public Event parse(byte[] body, int offset, int length, long referenceTime) {
        Event e = layout.newEvent();
        problem = null;
        problemDetail = null;
        hasTime = false;
        timeProblem = null;
        if (length > maxRecordBytes) {
            return malformed(e, Reason.TOO_LARGE, "the record has " + length + " bytes, more than spec.limits.maxRecordBytes ("
                    + maxRecordBytes + ")", body, offset, length);
        }
        try (JsonParser p = json.createParser(body, offset, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return malformed(e, Reason.NOT_JSON, "the record is empty", body, offset, length);
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                if (p.nextToken() != null) {
                    return malformed(e, Reason.NOT_JSON, "content after the first JSON value", body, offset, length);
                }
                return malformed(e, Reason.NOT_OBJECT, "the record is " + describe(first) + ", not a JSON object", body, offset, length);
            }
            readObject(p, e);
            if (p.nextToken() != null) {
                return malformed(e, Reason.NOT_JSON, "content after the JSON object", body, offset, length);
            }
        } catch (StreamConstraintsException ex) {
            String m = String.valueOf(ex.getOriginalMessage());
            return malformed(e, Reason.NOT_JSON, m.contains("nesting depth") ? "nested deeper than " + MAX_DEPTH + " levels"
                    : "beyond the parser's limits: " + firstLine(m), body, offset, length);
        } catch (IOException ex) {
            return malformed(e, Reason.NOT_JSON, "not valid JSON: " + firstLine(ex.getMessage()), body, offset, length);
        } catch (RuntimeException ex) {
            // nothing escapes one record: a record the parser cannot read is not JSON to Pulse
            return malformed(e, Reason.NOT_JSON, "unreadable: " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage()),
                    body, offset, length);
        }
        if (!hasTime) {
            note(Reason.NO_TIME, "the event time '" + timestampField + "' is missing or null");
        } else if (timeProblem != null) {
            note(Reason.BAD_TIME, timeProblem);
        } else if (referenceTime != NO_REFERENCE && e.time - maxFutureSkewMs > referenceTime) {
            note(Reason.FUTURE_TIME, "the event time " + Instant.ofEpochMilli(e.time) + " is later than the record's reference time "
                    + reference(referenceTime) + " plus spec.watermark.maxFutureSkew (" + Durations.format(maxFutureSkewMs) + ")");
        }
        if (problem != null) {
            return malformed(e, problem, problemDetail, body, offset, length);
        }
        return e;
    }

    private void readObject(JsonParser p, Event e) throws IOException {
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
                p.skipChildren();
                if (ref.kind() == FieldKind.TIMESTAMP) {
                    time(false, "the event time '" + timestampField + "' is " + describe(v) + ", not " + timeFormat());
                } else {
                    note(Reason.WRONG_TYPE, "'" + ref.name() + "' is " + describe(v) + "; it is declared " + declared(ref));
                }
                continue;
            }
            switch (ref.kind()) {
                case EVENT_TYPE -> e.type = text(p, ref);
                case ACTOR -> e.actor = text(p, ref);
                case STRING -> e.strings[ref.slot()] = text(p, ref);
                case LONG -> readLong(p, v, e, ref);
                case DOUBLE -> readDouble(p, v, e, ref);
                case BOOLEAN -> readBoolean(v, e, ref);
                case TIMESTAMP -> readTime(p, v, e);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t); // not reached: the parser reports broken JSON itself
        }
    }

    /** Keeps the earliest reason in the order of {@link Reason} (the first found among equals). */
    private void note(Reason reason, String detail) {
        if (problem == null || reason.ordinal() < problem.ordinal()) {
            problem = reason;
            problemDetail = detail;
        }
    }

    /** The event time was given (a repeated property: the last value is the time; any bad value is a bad time). */
    private void time(boolean ok, String detail) {
        hasTime = true;
        if (!ok && timeProblem == null) {
            timeProblem = detail;
        }
    }

    private FieldRef field(String internedName) {
        int i = internedName.hashCode() & mask;
        String name;
        while ((name = table[i]) != null) {
            if (name == internedName) {
                return tableRefs[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** A string-typed value: any JSON scalar, as its text. */
    private String text(JsonParser p, FieldRef ref) throws IOException {
        String text = p.getText();
        if (text.indexOf('\u0000') >= 0) {
            note(Reason.BAD_STRING, "'" + ref.name() + "' contains a NUL character");
        } else if (text.length() > maxValueLength && text.codePointCount(0, text.length()) > maxValueLength) {
            note(Reason.BAD_STRING, "'" + ref.name() + "' has " + text.codePointCount(0, text.length())
                    + " characters, more than spec.limits.maxValueLength (" + maxValueLength + ")");
        }
        return text;
    }

    private void readLong(JsonParser p, JsonToken v, Event e, FieldRef ref) throws IOException {
        long value;
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                note(Reason.BAD_NUMBER, "'" + ref.name() + "' is " + quoted(p.getText()) + ", out of the range of a long");
                return;
            }
            value = p.getLongValue();
        } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            if (!Double.isFinite(p.getDoubleValue())) {
                note(Reason.BAD_NUMBER, "'" + ref.name() + "' is " + quoted(p.getText()) + ", not a finite number");
                return;
            }
            BigDecimal d = p.getDecimalValue();
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                note(Reason.WRONG_TYPE, "'" + ref.name() + "' is " + quoted(p.getText()) + ", a number with a fraction; it is declared long");
                return;
            }
            if (d.compareTo(LONG_MIN) < 0 || d.compareTo(LONG_MAX) > 0) {
                note(Reason.BAD_NUMBER, "'" + ref.name() + "' is " + quoted(p.getText()) + ", out of the range of a long");
                return;
            }
            value = d.longValue();
        } else {
            note(Reason.WRONG_TYPE, "'" + ref.name() + "' is " + describe(v) + "; it is declared long");
            return;
        }
        e.longs[ref.slot()] = value;
        e.present[ref.presence()] = true;
    }

    private void readDouble(JsonParser p, JsonToken v, Event e, FieldRef ref) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            note(Reason.WRONG_TYPE, "'" + ref.name() + "' is " + describe(v) + "; it is declared double");
            return;
        }
        double d = p.getDoubleValue();
        if (!Double.isFinite(d)) {
            note(Reason.BAD_NUMBER, "'" + ref.name() + "' is " + quoted(p.getText()) + ", not a finite number");
            return;
        }
        e.doubles[ref.slot()] = d;
        e.present[ref.presence()] = true;
    }

    private void readBoolean(JsonToken v, Event e, FieldRef ref) {
        if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
            note(Reason.WRONG_TYPE, "'" + ref.name() + "' is " + describe(v) + "; it is declared boolean");
            return;
        }
        e.booleans[ref.slot()] = v == JsonToken.VALUE_TRUE;
        e.present[ref.presence()] = true;
    }

    /** The event time in the declared format, from 1970-01-01 to {@link #MAX_TIME}. */
    private void readTime(JsonParser p, JsonToken v, Event e) throws IOException {
        String where = "the event time '" + timestampField + "'";
        if ("iso8601".equals(timestampFormat)) {
            if (v != JsonToken.VALUE_STRING) {
                time(false, where + " is " + describe(v) + ", not " + timeFormat());
                return;
            }
            String text = p.getText();
            long ms;
            try {
                ms = iso(text);
            } catch (DateTimeException | ArithmeticException ex) {
                time(false, where + " is " + quoted(text) + ", not an ISO-8601 time that fits epoch milliseconds");
                return;
            }
            range(ms, where + " " + quoted(text), e);
            return;
        }
        long scale = "epochSeconds".equals(timestampFormat) ? 1000 : 1;
        if (v == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                time(false, where + " " + quoted(p.getText()) + " is after " + Instant.ofEpochMilli(MAX_TIME));
                return;
            }
            long n = p.getLongValue();
            if (n < 0) {
                time(false, where + " " + n + " is before 1970-01-01T00:00:00Z");
                return;
            }
            if (n > MAX_TIME / scale) {
                time(false, where + " " + n + " is after " + Instant.ofEpochMilli(MAX_TIME));
                return;
            }
            range(n * scale, where + " " + n, e); // 0 ≤ n ≤ MAX_TIME / scale: no overflow
        } else if (v == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue() * scale;
            if (!Double.isFinite(d) || d > MAX_TIME) {
                time(false, where + " " + quoted(p.getText()) + " is after " + Instant.ofEpochMilli(MAX_TIME));
                return;
            }
            range((long) Math.floor(d), where + " " + quoted(p.getText()), e);
        } else {
            time(false, where + " is " + describe(v) + ", not " + timeFormat());
        }
    }

    private void range(long ms, String what, Event e) {
        if (ms < 0) {
            time(false, what + " is before 1970-01-01T00:00:00Z");
        } else if (ms > MAX_TIME) {
            time(false, what + " is after " + Instant.ofEpochMilli(MAX_TIME));
        } else {
            e.time = ms;
            time(true, null);
        }
    }

    private static long iso(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeException ex) {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        }
    }

    private String timeFormat() {
        return switch (timestampFormat) {
            case "iso8601" -> "an ISO-8601 string";
            case "epochSeconds" -> "epoch seconds (a number)";
            default -> "epoch milliseconds (a number)";
        };
    }

    private void clear(Event e, FieldRef ref) {
        switch (ref.kind()) {
            case EVENT_TYPE -> e.type = null;
            case ACTOR -> e.actor = null;
            case STRING -> e.strings[ref.slot()] = null;
            case LONG, DOUBLE, BOOLEAN -> e.present[ref.presence()] = false;
            case TIMESTAMP -> hasTime = false;
        }
    }

    private static String declared(FieldRef ref) {
        return switch (ref.kind()) {
            case EVENT_TYPE -> "string (the event type)";
            case ACTOR -> "string (the actor)";
            default -> ref.kind().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String reference(long referenceTime) {
        try {
            return Instant.ofEpochMilli(referenceTime).toString();
        } catch (DateTimeException ex) {
            return Long.toString(referenceTime);
        }
    }

    private static String describe(JsonToken v) {
        return switch (v) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "a JSON object";
            case START_ARRAY -> "a JSON array";
            default -> String.valueOf(v);
        };
    }

    private static String quoted(String text) {
        String t = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
        return "'" + t.replace('\u0000', '␀') + "'";
    }

    private static Event malformed(Event e, Reason reason, String detail, byte[] body, int offset, int length) {
        e.reason = reason;
        e.detail = detail;
        e.time = Long.MIN_VALUE;
        e.value = offset == 0 && length == body.length ? body : Arrays.copyOfRange(body, offset, offset + length);
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
