package dev.pulse.pipeline.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.metric.MetricRow;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The JSON of a Metric's result row, as {@code pulse replay} prints it and result topics carry it:
 * {@code {"kind":"Metric","namespace":…,"name":…,"windowStart":"…Z","windowEnd":"…Z",
 * "dimensions":{…every declared dimension, null when missing…},"value":123.0}}, plus
 * {@code "numerator"} and {@code "denominator"} for a ratio and, on topics, {@code "final"}.
 */
public final class MetricRowJson implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();
    private final String kind;
    private final String namespace;
    private final String name;
    private final String[] dimensions;

    public MetricRowJson(AnalysisPlan plan) {
        this(plan.kind().name(), plan.namespace(), plan.name(), plan.dimensions());
    }

    public MetricRowJson(String kind, String namespace, String name, List<String> dimensions) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.dimensions = dimensions.toArray(String[]::new);
    }

    /** The replay line of a row (no finality: every replayed row is final). */
    public String line(MetricRow row) {
        return write(row, false, true);
    }

    /** The result topic value of a row: the replay line plus {@code "final"}. */
    public String topicValue(MetricRow row) {
        return write(row, true, true);
    }

    /** The result topic key of a row: its window and dimension values. */
    public String topicKey(MetricRow row) {
        return write(row, false, false);
    }

    private String write(MetricRow row, boolean withFinal, boolean withValue) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("kind", kind);
            g.writeStringField("namespace", namespace);
            g.writeStringField("name", name);
            g.writeStringField("windowStart", Instant.ofEpochMilli(row.windowStart).toString());
            g.writeStringField("windowEnd", Instant.ofEpochMilli(row.windowEnd).toString());
            g.writeObjectFieldStart("dimensions");
            for (int i = 0; i < dimensions.length; i++) {
                g.writeStringField(dimensions[i], row.dimensions[i]);
            }
            g.writeEndObject();
            if (withValue) {
                g.writeFieldName("value");
                if (row.value == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(row.value.doubleValue());
                }
                if (row.numerator != null && row.denominator != null) {
                    g.writeNumberField("numerator", row.numerator.longValue());
                    g.writeNumberField("denominator", row.denominator.longValue());
                }
            }
            if (withFinal) {
                g.writeBooleanField("final", row.finalResult);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
