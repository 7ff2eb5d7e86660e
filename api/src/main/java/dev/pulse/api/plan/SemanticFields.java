package dev.pulse.api.plan;

import static dev.pulse.api.plan.PlanChanges.differs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which of the fields that make up a version (the semantic hash, see AnalysisCompiler) differ
 * between two plans of an analysis, named as the spec paths people edit. Mirrors what the hash
 * covers: the analysis's own semantic fields, the stream settings of {@link StreamPlan.Semantics}
 * and the types of the fields the analysis reads.
 */
final class SemanticFields {
    private SemanticFields() {
    }

    static List<String> between(AnalysisChange.Placement before, AnalysisChange.Placement after) {
        AnalysisPlan x = before.analysis();
        AnalysisPlan y = after.analysis();
        List<String> out = new ArrayList<>();
        differs(out, "dimensions", x, y, AnalysisPlan::dimensions);
        differs(out, "events", x, y, p -> p.filter() == null ? null : p.filter().events());
        differs(out, "where", x, y, p -> p.filter() == null ? null : p.filter().where());
        differs(out, "expression", x, y, p -> p.filter() == null ? null : p.filter().expression());
        if (x.kind() != AnalysisKind.Retention) { // a retention's window is its period
            differs(out, "window", x, y, AnalysisPlan::window);
        }
        differs(out, "allowedLateness", x, y, AnalysisPlan::allowedLatenessMs);
        differs(out, "limits.maxGroups", x, y, AnalysisPlan::groupLimit);
        differs(out, "aggregation", x, y, p -> p.metric() == null ? null : new MetricPlan(p.metric().aggregation(), p.metric().field(),
                p.metric().fieldType(), p.metric().percentile(), p.metric().numerator(), p.metric().denominator(), null));
        funnel(out, x.funnel(), y.funnel());
        retention(out, x.retention(), y.retention());
        stream(out, before.stream().semantics(), after.stream().semantics());
        fieldTypes(out, before, after);
        return out;
    }

    private static void funnel(List<String> out, FunnelPlan x, FunnelPlan y) {
        if (x == null || y == null) {
            return;
        }
        differs(out, "steps", x, y, FunnelPlan::steps);
        differs(out, "order", x, y, FunnelPlan::order);
        differs(out, "conversionWindow", x, y, FunnelPlan::conversionWindowMs);
        differs(out, "exclusions", x, y, FunnelPlan::exclusions);
        differs(out, "countBy", x, y, FunnelPlan::countBy);
    }

    private static void retention(List<String> out, RetentionPlan x, RetentionPlan y) {
        if (x == null || y == null) {
            return;
        }
        differs(out, "cohort", x, y, RetentionPlan::cohort);
        differs(out, "return", x, y, RetentionPlan::returnFilter);
        differs(out, "period", x, y, RetentionPlan::periodMs);
        differs(out, "periods", x, y, RetentionPlan::periods);
        differs(out, "mode", x, y, RetentionPlan::mode);
    }

    private static void stream(List<String> out, StreamPlan.Semantics x, StreamPlan.Semantics y) {
        differs(out, "stream.kafka.topic", x, y, StreamPlan.Semantics::topic);
        differs(out, "stream.format", x, y, StreamPlan.Semantics::format);
        differs(out, "stream.eventTypeField", x, y, StreamPlan.Semantics::eventTypeField);
        differs(out, "stream.actorField", x, y, StreamPlan.Semantics::actorField);
        differs(out, "stream.timestamp.field", x, y, StreamPlan.Semantics::timestampField);
        differs(out, "stream.timestamp.format", x, y, StreamPlan.Semantics::timestampFormat);
        differs(out, "stream.watermark.maxOutOfOrderness", x, y, StreamPlan.Semantics::maxOutOfOrdernessMs);
        differs(out, "stream.watermark.maxFutureSkew", x, y, StreamPlan.Semantics::maxFutureSkewMs);
        differs(out, "stream.limits.maxRecordBytes", x, y, StreamPlan.Semantics::maxRecordBytes);
        differs(out, "stream.limits.maxValueLength", x, y, StreamPlan.Semantics::maxValueLength);
    }

    /** A field the analysis reads in both versions whose declared type changed. */
    private static void fieldTypes(List<String> out, AnalysisChange.Placement before, AnalysisChange.Placement after) {
        Map<String, Object> was = types(before.stream());
        Map<String, Object> is = types(after.stream());
        for (Map.Entry<String, Object> e : was.entrySet()) {
            String field = e.getKey();
            if (is.containsKey(field) && !Objects.equals(e.getValue(), is.get(field))
                    && reads(before.analysis(), field) && reads(after.analysis(), field)) {
                out.add("stream.fields[" + field + "].type");
            }
        }
    }

    private static Map<String, Object> types(StreamPlan s) {
        return s.fields().stream().collect(Collectors.toMap(FieldPlan::name, FieldPlan::type, (p, q) -> p, java.util.TreeMap::new));
    }

    /** Whether the analysis reads the field: as a dimension, in a filter, or as the aggregated field (as the compiler counts it). */
    private static boolean reads(AnalysisPlan a, String field) {
        if (a.dimensions().contains(field) || (a.metric() != null && field.equals(a.metric().field()))) {
            return true;
        }
        return filters(a).stream().anyMatch(f -> f.where().stream().anyMatch(c -> c.field().equals(field))
                || (f.expression() != null && f.expression().contains(field)));
    }

    private static List<FilterPlan> filters(AnalysisPlan a) {
        List<FilterPlan> out = new ArrayList<>();
        out.add(a.filter());
        if (a.metric() != null) {
            out.add(a.metric().numerator());
            out.add(a.metric().denominator());
        }
        if (a.funnel() != null) {
            a.funnel().steps().forEach(s -> out.add(s.filter()));
            a.funnel().exclusions().forEach(e -> out.add(e.filter()));
        }
        if (a.retention() != null) {
            out.add(a.retention().cohort());
            out.add(a.retention().returnFilter());
        }
        out.removeIf(Objects::isNull);
        return out;
    }
}
