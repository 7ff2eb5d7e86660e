package dev.pulse.pipeline.sink;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.anomaly.AnomalyRow;
import dev.pulse.pipeline.funnel.FunnelRow;
import dev.pulse.pipeline.retention.RetentionRow;
import java.io.IOException;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The JSON lines of funnel, retention and anomaly rows, as {@code pulse replay} prints them:
 * <pre>
 * {"kind":"Funnel","namespace":…,"name":…,"windowStart":"…Z","windowEnd":"…Z","dimensions":{…},"steps":[{"name":"viewed","count":100},…]}
 * {"kind":"Retention","namespace":…,"name":…,"cohortStart":"…Z","dimensions":{…},"cohortSize":120,"retained":[60,41,null]}
 * {"kind":"Anomaly","namespace":…,"name":"&lt;metric&gt;","windowStart":"…Z","dimensions":{…},"observed":…,"expected":…,"lower":…,"upper":…}
 * </pre>
 */
public final class AnalysisRowJson implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final JsonFactory JSON = new JsonFactory();
    private final String namespace;
    private final String name;
    private final String[] dimensions;
    private final String[] steps;

    public AnalysisRowJson(AnalysisPlan plan) {
        this.namespace = plan.namespace();
        this.name = plan.name();
        this.dimensions = plan.dimensions().toArray(String[]::new);
        this.steps = plan.funnel() == null ? new String[0] : plan.funnel().steps().stream().map(s -> s.name()).toArray(String[]::new);
    }

    public String funnel(FunnelRow row) {
        return write(g -> {
            key(g, AnalysisKind.Funnel.name(), "windowStart", row, true);
            g.writeArrayFieldStart("steps");
            for (int i = 0; i < steps.length; i++) {
                g.writeStartObject();
                g.writeStringField("name", steps[i]);
                g.writeNumberField("count", row.counts[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** A retention row; a period that is not complete is written as null. */
    public String retention(RetentionRow row) {
        return write(g -> {
            key(g, AnalysisKind.Retention.name(), "cohortStart", row, false);
            g.writeNumberField("cohortSize", row.cohortSize);
            g.writeArrayFieldStart("retained");
            for (int k = 0; k < row.retained.length; k++) {
                g.writeObject(row.complete[k] ? (Object) row.retained[k] : null);
            }
            g.writeEndArray();
        });
    }

    public String anomaly(AnomalyRow row) {
        return write(g -> {
            key(g, "Anomaly", "windowStart", row, false);
            g.writeNumberField("observed", row.observed);
            g.writeNumberField("expected", row.expected);
            g.writeNumberField("lower", row.lower);
            g.writeNumberField("upper", row.upper);
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(200);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The kind and analysis, the row's window start under {@code startField} (and its end), and its dimensions. */
    private void key(JsonGenerator g, String kind, String startField, ResultRow<?> row, boolean withEnd) throws IOException {
        g.writeStringField("kind", kind);
        g.writeStringField("namespace", namespace);
        g.writeStringField("name", name);
        g.writeStringField(startField, Instant.ofEpochMilli(row.windowStart).toString());
        if (withEnd) {
            g.writeStringField("windowEnd", Instant.ofEpochMilli(row.windowEnd).toString());
        }
        dimensions(g, row.dimensions);
    }

    private void dimensions(JsonGenerator g, String[] values) throws IOException {
        g.writeObjectFieldStart("dimensions");
        for (int i = 0; i < dimensions.length; i++) {
            g.writeStringField(dimensions[i], values[i]);
        }
        g.writeEndObject();
    }
}
