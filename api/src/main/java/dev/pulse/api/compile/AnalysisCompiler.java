package dev.pulse.api.compile;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.AnomalyPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.FieldPlan;
import dev.pulse.api.plan.FilterPlan;
import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.plan.MetricPlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.plan.RetentionPlan;
import dev.pulse.api.plan.ServingPlan;
import dev.pulse.api.plan.StreamPlan;
import dev.pulse.api.plan.WindowPlan;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.AnalysisSpec;
import dev.pulse.api.v1alpha1.common.Backfill;
import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.common.Serving;
import dev.pulse.api.v1alpha1.common.Window;
import dev.pulse.api.v1alpha1.common.WindowType;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import dev.pulse.api.v1alpha1.funnel.Exclusion;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec;
import dev.pulse.api.v1alpha1.funnel.FunnelStep;
import dev.pulse.api.v1alpha1.metric.Aggregation;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.api.v1alpha1.metric.AnomalySpec;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.metric.MetricSpec;
import dev.pulse.api.v1alpha1.metric.ReconciliationSpec;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.api.v1alpha1.retention.RetentionSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks one analysis against its stream and compiles it into an {@link AnalysisPlan}. */
final class AnalysisCompiler {
    private static final int MAX_DIMENSIONS = 8;
    private final EventStream stream;
    private final StreamSchema schema;
    private final Problems p;
    private final FilterCompiler filters;
    private final Duration kafkaRetention;
    private final StreamPlan.Semantics streamSemantics;
    private final Set<String> usedFields;

    AnalysisCompiler(EventStream stream, StreamSchema schema, StreamPlan.Semantics streamSemantics, Problems problems, Set<String> usedFields) {
        this.stream = stream;
        this.schema = schema;
        this.streamSemantics = streamSemantics;
        this.usedFields = usedFields;
        this.p = problems;
        this.filters = new FilterCompiler(schema, problems, usedFields);
        String retention = stream.getSpec().getKafka().getRetention();
        this.kafkaRetention = Durations.parse(retention == null ? Defaults.KAFKA_RETENTION : retention).orElse(Duration.ofDays(7));
        usedFields.add(schema.eventTypeField());
        usedFields.add(schema.actorField());
    }

    static String streamOf(HasMetadata a) {
        return specOf(a).getStream();
    }

    static AnalysisSpec specOf(HasMetadata a) {
        if (a instanceof Metric m) {
            return m.getSpec();
        } else if (a instanceof Funnel f) {
            return f.getSpec();
        } else if (a instanceof Retention r) {
            return r.getSpec();
        }
        throw new IllegalArgumentException("not an analysis: " + a.getKind());
    }

    AnalysisPlan compile(HasMetadata a) {
        AnalysisSpec spec = specOf(a);
        List<String> dimensions = dimensions(spec.getDimensions());
        StreamChecks.positive(spec.getFreshnessObjective(), "spec.freshnessObjective", p);
        if (a instanceof Metric m) {
            return metric(m, dimensions);
        } else if (a instanceof Funnel f) {
            return funnel(f, dimensions);
        }
        return retention((Retention) a, dimensions);
    }

    private AnalysisPlan metric(Metric m, List<String> dimensions) {
        MetricSpec spec = m.getSpec();
        FilterPlan filter = filters.compile(spec, "spec.");
        MetricPlan metric = aggregation(spec.getAggregation(), spec);
        WindowPlan window = window(spec.getWindow(), "spec.window");
        long lateness = lateness(spec.getAllowedLateness());
        fitsRetention(window == null ? 0 : window.sizeMs() + lateness, "spec.window.size", "the window plus allowedLateness");
        long emit = emitEvery(spec.getEmitEvery());
        if (spec.getReconciliation() != null) {
            reconciliation(spec.getReconciliation(), dimensions);
        }
        String outputTopic = Boolean.TRUE.equals(spec.getOutputTopic())
                ? m.getMetadata().getNamespace() + "." + m.getMetadata().getName() + ".results" : null;
        return analysis(AnalysisKind.Metric, m, dimensions, filter, window, lateness, emit, metric, null, null, spec.getServing(), outputTopic);
    }

    private MetricPlan aggregation(Aggregation agg, MetricSpec spec) {
        if (agg == null || agg.getType() == null) {
            p.add("spec.aggregation.type", "required: count, countDistinct, sum, avg, min, max, ratio or percentile");
            return null;
        }
        AggregationType type = agg.getType();
        String field = agg.getField();
        FieldType fieldType = null;
        if (type.needsNumericField()) {
            if (field == null) {
                p.add("spec.aggregation.field", type + " needs a numeric field (long or double) of the stream");
            } else {
                FieldType t = filters.field(field, "spec.aggregation.field");
                if (t != null && !t.isNumeric()) {
                    p.add("spec.aggregation.field", type + " needs a numeric field (long or double); '" + field + "' is a " + t.yamlName());
                }
                fieldType = t;
            }
        } else if (type == AggregationType.countDistinct) {
            if (field == null) {
                field = schema.actorField();
            }
            fieldType = filters.field(field, "spec.aggregation.field");
        } else if (field != null) {
            p.add("spec.aggregation.field", type + " takes no field");
        }
        Double percentile = agg.getPercentile();
        if (type == AggregationType.percentile) {
            if (percentile == null || !(percentile > 0 && percentile < 100)) {
                p.add("spec.aggregation.percentile", "a percentile strictly between 0 and 100 is required (e.g. 95)");
            }
        } else if (percentile != null) {
            p.add("spec.aggregation.percentile", "only the percentile aggregation takes 'percentile'");
        }
        FilterPlan numerator = null;
        FilterPlan denominator = null;
        if (type == AggregationType.ratio) {
            if (agg.getNumerator() == null) {
                p.add("spec.aggregation.numerator", "a ratio needs a numerator filter (events/where/expression)");
            } else {
                numerator = filters.compile(agg.getNumerator(), "spec.aggregation.numerator.");
            }
            if (agg.getDenominator() == null) {
                p.add("spec.aggregation.denominator", "a ratio needs a denominator filter (events/where/expression)");
            } else {
                denominator = filters.compile(agg.getDenominator(), "spec.aggregation.denominator.");
            }
        } else if (agg.getNumerator() != null || agg.getDenominator() != null) {
            p.add("spec.aggregation", "numerator and denominator are only for a ratio");
        }
        AnomalyPlan anomaly = spec.getAnomaly() == null ? null : anomaly(spec.getAnomaly());
        return new MetricPlan(type, field, fieldType, type == AggregationType.percentile ? percentile : null,
                numerator, denominator, anomaly);
    }

    private AnomalyPlan anomaly(AnomalySpec a) {
        if (a.getAlgorithm() == null) {
            p.add("spec.anomaly.algorithm", "required: zscore, ewma or seasonal");
            return null;
        }
        AnomalySpec.Seasonality seasonality = a.getSeasonality() != null ? a.getSeasonality()
                : a.getAlgorithm() == AnomalySpec.Algorithm.seasonal ? AnomalySpec.Seasonality.daily : AnomalySpec.Seasonality.none;
        if (a.getAlgorithm() == AnomalySpec.Algorithm.seasonal && seasonality == AnomalySpec.Seasonality.none) {
            p.add("spec.anomaly.seasonality", "the seasonal algorithm needs hourly, daily or weekly");
        }
        double deviations = a.getDeviations() == null ? Defaults.DEVIATIONS : a.getDeviations();
        if (deviations < 0.5 || deviations > 20) {
            p.add("spec.anomaly.deviations", "must be between 0.5 and 20");
        }
        Duration minHistory = StreamChecks.duration(a.getMinHistory() == null ? Defaults.MIN_HISTORY : a.getMinHistory(), "spec.anomaly.minHistory", p);
        return new AnomalyPlan(a.getAlgorithm(), seasonality, deviations,
                a.getDirection() == null ? AnomalySpec.Direction.both : a.getDirection(),
                minHistory == null ? 0 : minHistory.toMillis());
    }

    private void reconciliation(ReconciliationSpec r, List<String> dimensions) {
        if (r.getDimensionColumns() != null) {
            for (Map.Entry<String, String> e : r.getDimensionColumns().entrySet()) {
                if (!dimensions.contains(e.getKey())) {
                    p.add("spec.reconciliation.dimensionColumns." + e.getKey(), "'" + e.getKey() + "' is not one of the metric's dimensions " + dimensions);
                }
                if (e.getValue() == null || !e.getValue().matches(ReconciliationSpec.IDENTIFIER)) {
                    p.add("spec.reconciliation.dimensionColumns." + e.getKey(), "'" + e.getValue() + "' is not a valid column name: a letter or '_' then letters, digits or '_'");
                }
            }
        }
        if (r.getTable() != null && !r.getTable().matches("^([A-Za-z_][A-Za-z0-9_]{0,62}\\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$")) {
            p.add("spec.reconciliation.table", "'" + r.getTable() + "' is not a valid table name: [schema.]table of letters, digits and '_'");
        }
        for (String[] col : new String[][] {{"dayColumn", r.getDayColumn()}, {"valueColumn", r.getValueColumn()}}) {
            if (col[1] == null || !col[1].matches(ReconciliationSpec.IDENTIFIER)) {
                p.add("spec.reconciliation." + col[0], "'" + col[1] + "' is not a valid column name: a letter or '_' then letters, digits or '_'");
            }
        }
        if (r.getSource() == null || !Names.isDnsLabel(r.getSource())) {
            p.add("spec.reconciliation.source", "'" + r.getSource() + "' is not a valid batch source name (a DNS-1123 label configured in the operator)");
        }
        if (r.getTimeZone() != null) {
            try {
                java.time.ZoneId.of(r.getTimeZone());
            } catch (java.time.DateTimeException e) {
                p.add("spec.reconciliation.timeZone", "'" + r.getTimeZone() + "' is not an IANA time zone (e.g. UTC, Europe/Berlin)");
            }
        }
    }

    private AnalysisPlan funnel(Funnel f, List<String> dimensions) {
        FunnelSpec spec = f.getSpec();
        List<FunnelPlan.StepPlan> steps = new ArrayList<>();
        List<FunnelStep> declared = spec.getSteps() == null ? List.of() : spec.getSteps();
        if (declared.size() < 2 || declared.size() > 20) {
            p.add("spec.steps", "a funnel needs 2 to 20 steps; it has " + declared.size());
        }
        Set<String> stepNames = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            FunnelStep s = declared.get(i);
            String path = "spec.steps[" + i + "]";
            if (s == null) {
                p.add(path, "must not be empty");
                continue;
            }
            if (s.getName() == null || !s.getName().matches("^[a-z0-9]([-_a-z0-9]{0,61}[a-z0-9])?$")) {
                p.add(path + ".name", "'" + s.getName() + "' is not a valid step name: lowercase letters, digits, '-' and '_', at most 63 characters");
            } else if (!stepNames.add(s.getName())) {
                p.add(path + ".name", "step name '" + s.getName() + "' is used twice");
            }
            if (isEmpty(s.getEvents()) && isEmpty(s.getWhere()) && s.getExpression() == null) {
                p.add(path, "a step needs at least one of 'events', 'where' or 'expression'");
            }
            steps.add(new FunnelPlan.StepPlan(s.getName(), filters.compile(s, path + ".")));
        }
        List<FunnelPlan.ExclusionPlan> exclusions = new ArrayList<>();
        if (spec.getExclusions() != null) {
            for (int i = 0; i < spec.getExclusions().size(); i++) {
                Exclusion x = spec.getExclusions().get(i);
                String path = "spec.exclusions[" + i + "]";
                if (x == null) {
                    p.add(path, "must not be empty");
                    continue;
                }
                Integer from = x.getFromStep();
                Integer to = x.getToStep();
                if (from == null || to == null) {
                    p.add(path, "needs fromStep and toStep (1-based step numbers)");
                } else if (from < 1 || to > declared.size() || from >= to) {
                    p.add(path, "fromStep " + from + " and toStep " + to + " must satisfy 1 <= fromStep < toStep <= " + declared.size() + " (the number of steps)");
                }
                if (isEmpty(x.getEvents()) && isEmpty(x.getWhere()) && x.getExpression() == null) {
                    p.add(path, "an exclusion needs at least one of 'events', 'where' or 'expression'");
                }
                exclusions.add(new FunnelPlan.ExclusionPlan(filters.compile(x, path + "."), from == null ? 0 : from, to == null ? 0 : to));
            }
        }
        Duration conversion = StreamChecks.positive(spec.getConversionWindow(), "spec.conversionWindow", p);
        if (spec.getConversionWindow() == null) {
            p.add("spec.conversionWindow", "required: how long an attempt may take to convert, e.g. 30m");
        }
        WindowPlan window = window(spec.getWindow(), "spec.window");
        if (window != null && window.type() != WindowType.tumbling) {
            p.add("spec.window.type", "a funnel's reporting window must be tumbling (each attempt belongs to exactly one window)");
        }
        long lateness = lateness(spec.getAllowedLateness());
        fitsRetention(conversion == null ? 0 : conversion.toMillis() + lateness, "spec.conversionWindow", "the conversion window plus allowedLateness");
        long emit = emitEvery(spec.getEmitEvery());
        FunnelPlan plan = new FunnelPlan(steps, spec.getOrder() == null ? FunnelSpec.Order.ordered : spec.getOrder(),
                conversion == null ? 0 : conversion.toMillis(), exclusions,
                spec.getCountBy() == null ? FunnelSpec.CountBy.uniques : spec.getCountBy());
        return analysis(AnalysisKind.Funnel, f, dimensions, null, window, lateness, emit, null, plan, null, spec.getServing(), null);
    }

    private AnalysisPlan retention(Retention r, List<String> dimensions) {
        RetentionSpec spec = r.getSpec();
        if (spec.getCohort() == null) {
            p.add("spec.cohort", "required: the filter of cohort events");
        }
        if (spec.getReturnFilter() == null) {
            p.add("spec.return", "required: the filter of return events");
        }
        FilterPlan cohort = filters.compile(spec.getCohort(), "spec.cohort.");
        FilterPlan ret = filters.compile(spec.getReturnFilter(), "spec.return.");
        Duration period = StreamChecks.positive(spec.getPeriod(), "spec.period", p);
        if (spec.getPeriod() == null) {
            p.add("spec.period", "required: the length of a period, e.g. 1d");
        }
        Integer periods = spec.getPeriods();
        if (periods == null || periods < 1 || periods > 365) {
            p.add("spec.periods", "required: the number of periods, 1 to 365");
        }
        long lateness = lateness(spec.getAllowedLateness() == null ? Defaults.RETENTION_ALLOWED_LATENESS : spec.getAllowedLateness());
        fitsRetention(period == null ? 0 : period.toMillis(), "spec.period", "the period");
        RetentionPlan plan = new RetentionPlan(cohort, ret, period == null ? 0 : period.toMillis(), periods == null ? 0 : periods,
                spec.getMode() == null ? RetentionSpec.Mode.bounded : spec.getMode());
        WindowPlan window = period == null ? null : new WindowPlan(WindowType.tumbling, period.toMillis(), 0, 0);
        return analysis(AnalysisKind.Retention, r, dimensions, null, window, lateness, Durations.parse(Defaults.EMIT_EVERY).orElseThrow().toMillis(),
                null, null, plan, spec.getServing(), null);
    }

    private AnalysisPlan analysis(AnalysisKind kind, HasMetadata a, List<String> dimensions, FilterPlan filter, WindowPlan window,
            long lateness, long emit, MetricPlan metric, FunnelPlan funnel, RetentionPlan retention, Serving serving, String outputTopic) {
        Map<String, Object> semantic = new LinkedHashMap<>();
        semantic.put("kind", kind);
        semantic.put("dimensions", dimensions);
        semantic.put("filter", filter);
        semantic.put("window", window);
        semantic.put("allowedLatenessMs", lateness);
        int maxGroups = maxGroups(specOf(a).getLimits());
        if (maxGroups != AnalysisLimits.DEFAULT_MAX_GROUPS) {
            // only when set otherwise, so the hash of every version made before the limit existed stays the same
            semantic.put("maxGroups", maxGroups);
        }
        semantic.put("metric", metric == null ? null : new MetricPlan(metric.aggregation(), metric.field(), metric.fieldType(),
                metric.percentile(), metric.numerator(), metric.denominator(), null));
        semantic.put("funnel", funnel);
        semantic.put("retention", retention);
        // the stream's settings that decide which events count, and the types of the fields this
        // analysis reads (a retyped field makes other records malformed): docs/changes.md
        semantic.put("stream", streamSemantics);
        semantic.put("fields", fieldsRead());
        String hash = PlanJson.sha256(semantic).substring(0, 10);
        String ns = a.getMetadata().getNamespace();
        String name = a.getMetadata().getName();
        String prefix = kind.prefix();
        String id = prefix + "-" + ns + "-" + name + "-" + hash;
        boolean rollupsByDefault = metric != null;
        ServingPlan servingPlan = serving(serving, window, rollupsByDefault, ns, prefix, name, hash, dimensions);
        return new AnalysisPlan(id, kind, ns, name, hash, dimensions, filter, window, lateness, emit,
                metric, funnel, retention, servingPlan, outputTopic, backfill(specOf(a).getBackfill()),
                // absent at the default, so plans (and their hashes) of definitions that never set it stay as they were
                maxGroups == AnalysisLimits.DEFAULT_MAX_GROUPS ? null : maxGroups);
    }

    /** The schema fields this analysis reads besides the event type, actor and timestamp, sorted by name. */
    private List<FieldPlan> fieldsRead() {
        List<FieldPlan> out = new ArrayList<>();
        for (String f : new TreeSet<>(usedFields)) {
            if (!PlanCompiler.isBuiltIn(streamSemantics, f)) {
                schema.type(f).ifPresent(t -> out.add(new FieldPlan(f, t)));
            }
        }
        return out;
    }

    /** {@code spec.backfill}: earliest (default), none, a duration or an RFC 3339 time; unpinned (the operator pins it). */
    private BackfillPlan backfill(Backfill b) {
        String from = b == null || b.getFrom() == null ? "earliest" : b.getFrom();
        if (from.equals("earliest")) {
            return BackfillPlan.EARLIEST;
        }
        if (from.equals("none")) {
            return new BackfillPlan(BackfillPlan.Mode.none, null, null, null, null);
        }
        Optional<Duration> d = Durations.parse(from);
        if (d.isPresent()) {
            return new BackfillPlan(BackfillPlan.Mode.duration, null, d.get().toMillis(), null, null);
        }
        try {
            long at = OffsetDateTime.parse(from).toInstant().toEpochMilli();
            return new BackfillPlan(BackfillPlan.Mode.time, at, null, null, null);
        } catch (DateTimeParseException | ArithmeticException e) {
            p.add("spec.backfill.from", "'" + from + "' is not earliest, none, a duration (e.g. 3d) or an RFC 3339 time (e.g. 2026-11-01T00:00:00Z)");
            return BackfillPlan.EARLIEST;
        }
    }

    private ServingPlan serving(Serving serving, WindowPlan window, boolean rollupsByDefault, String ns, String prefix, String name,
            String hash, List<String> dimensions) {
        String retentionText = serving == null || serving.getRetention() == null ? Defaults.SERVING_RETENTION : serving.getRetention();
        Duration retention = StreamChecks.positive(retentionText, "spec.serving.retention", p);
        List<Long> rollups = new ArrayList<>();
        if (serving != null && serving.getRollups() != null) {
            for (int i = 0; i < serving.getRollups().size(); i++) {
                Duration d = StreamChecks.positive(serving.getRollups().get(i), "spec.serving.rollups[" + i + "]", p);
                if (d == null || window == null) {
                    continue;
                }
                if (d.toMillis() <= window.sizeMs() || d.toMillis() % window.sizeMs() != 0) {
                    p.add("spec.serving.rollups[" + i + "]", "'" + serving.getRollups().get(i) + "' must be a multiple of the window size "
                            + Durations.format(window.sizeMs()) + " and larger than it");
                } else if (window.type() != WindowType.tumbling) {
                    p.add("spec.serving.rollups[" + i + "]", "rollups are only for tumbling windows (hopping and cumulative windows overlap)");
                } else if (rollups.contains(d.toMillis())) {
                    p.add("spec.serving.rollups[" + i + "]", "the rollup '" + serving.getRollups().get(i) + "' is listed twice");
                } else {
                    rollups.add(d.toMillis());
                }
            }
        } else if (rollupsByDefault && window != null && window.type() == WindowType.tumbling) {
            rollups.addAll(Defaults.rollupsMs(window.sizeMs()));
        }
        rollups.sort(Long::compare);
        List<String> columns = dimensions.stream().map(TableLayout::dimensionColumn).toList();
        return new ServingPlan(Names.namespaceSchema(ns), Names.identifier(prefix, name, hash),
                retention == null ? 0 : retention.toMillis(), List.copyOf(rollups), columns);
    }

    private List<String> dimensions(List<String> declared) {
        List<String> out = new ArrayList<>();
        if (declared == null) {
            return out;
        }
        if (declared.size() > MAX_DIMENSIONS) {
            p.add("spec.dimensions", "at most " + MAX_DIMENSIONS + " dimensions; there are " + declared.size());
        }
        for (int i = 0; i < declared.size(); i++) {
            String d = declared.get(i);
            String path = "spec.dimensions[" + i + "]";
            if (out.contains(d)) {
                p.add(path, "dimension '" + d + "' is listed twice");
                continue;
            }
            FieldType t = filters.field(d, path);
            if (t != null) {
                out.add(d);
            }
        }
        return out;
    }

    private WindowPlan window(Window w, String path) {
        if (w == null) {
            p.add(path, "required: {type: tumbling|hopping|cumulative, size, slide (hopping), step (cumulative)}");
            return null;
        }
        if (w.getType() == null) {
            p.add(path + ".type", "required: tumbling, hopping or cumulative");
            return null;
        }
        Duration size = StreamChecks.positive(w.getSize(), path + ".size", p);
        if (w.getSize() == null) {
            p.add(path + ".size", "required: the window length, e.g. 1m");
        }
        if (size == null) {
            return null;
        }
        long sizeMs = size.toMillis();
        long slideMs = 0;
        long stepMs = 0;
        switch (w.getType()) {
            case tumbling -> {
                if (w.getSlide() != null || w.getStep() != null) {
                    p.add(path, "a tumbling window takes only 'size'");
                }
            }
            case hopping -> {
                Duration slide = StreamChecks.positive(w.getSlide(), path + ".slide", p);
                if (w.getSlide() == null) {
                    p.add(path + ".slide", "a hopping window needs 'slide', less than size and dividing it");
                } else if (slide != null) {
                    slideMs = slide.toMillis();
                    if (slideMs >= sizeMs || sizeMs % slideMs != 0) {
                        p.add(path + ".slide", "'" + w.getSlide() + "' must be less than the size " + w.getSize() + " and divide it");
                    }
                }
            }
            case cumulative -> {
                Duration step = StreamChecks.positive(w.getStep(), path + ".step", p);
                if (w.getStep() == null) {
                    p.add(path + ".step", "a cumulative window needs 'step', dividing size");
                } else if (step != null) {
                    stepMs = step.toMillis();
                    if (stepMs > sizeMs || sizeMs % stepMs != 0) {
                        p.add(path + ".step", "'" + w.getStep() + "' must divide the size " + w.getSize());
                    }
                }
            }
            default -> {
            }
        }
        if (sizeMs % 1000 != 0) {
            p.add(path + ".size", "must be whole seconds");
        }
        return new WindowPlan(w.getType(), sizeMs, slideMs, stepMs);
    }

    private long lateness(String text) {
        Duration d = StreamChecks.duration(text == null ? Defaults.ALLOWED_LATENESS : text, "spec.allowedLateness", p);
        return d == null ? 0 : d.toMillis();
    }

    private int maxGroups(AnalysisLimits limits) {
        if (limits == null || limits.getMaxGroups() == null) {
            return AnalysisLimits.DEFAULT_MAX_GROUPS;
        }
        int n = limits.getMaxGroups();
        if (n < 1 || n > 1_000_000) {
            p.add("spec.limits.maxGroups", "must be between 1 and 1000000; it is " + n);
            return AnalysisLimits.DEFAULT_MAX_GROUPS;
        }
        return n;
    }

    private long emitEvery(String text) {
        Duration d = StreamChecks.positive(text == null ? Defaults.EMIT_EVERY : text, "spec.emitEvery", p);
        return d == null ? 0 : d.toMillis();
    }

    private void fitsRetention(long millis, String path, String what) {
        if (millis > kafkaRetention.toMillis()) {
            p.add(path, what + " (" + Durations.format(millis) + ") must fit in the stream's Kafka retention ("
                    + Durations.format(kafkaRetention.toMillis()) + "): shorten it or raise spec.kafka.retention of EventStream/" + stream.getMetadata().getName());
        }
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
