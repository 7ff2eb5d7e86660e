package dev.pulse.api.compile;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.FieldPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.plan.StreamPlan;
import dev.pulse.api.v1alpha1.common.PipelineOptions;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.eventstream.EventStreamSpec;
import dev.pulse.api.v1alpha1.eventstream.StreamLimits;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Validates a set of resources and compiles every analysis of each EventStream into one
 * {@link PipelinePlan} (plus one per dedicated analysis). Pure: same input, byte-identical plans.
 */
public final class PlanCompiler {
    private final Map<String, PipelinePlan> previousPlans;

    /** A compiler with no previous plans: invalid analyses are left out. */
    public PlanCompiler() {
        this(Map.of());
    }

    /**
     * A compiler that keeps an invalid analysis at the version it has in the previous plan of its
     * pipeline, so an invalid edit never changes what runs.
     *
     * @param previousPlans previous plans by pipeline name
     */
    public PlanCompiler(Map<String, PipelinePlan> previousPlans) {
        this.previousPlans = previousPlans;
    }

    public Compilation compile(Collection<? extends HasMetadata> resources) {
        List<Problem> problems = new ArrayList<>();
        Map<String, EventStream> streams = new TreeMap<>();
        List<HasMetadata> analyses = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (HasMetadata r : sorted(resources)) {
            Problems p = new Problems(r);
            String ns = r.getMetadata().getNamespace();
            String name = r.getMetadata().getName();
            if (!Names.isDnsLabel(name)) {
                p.add("metadata.name", "'" + name + "' is not a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");
            }
            if (!seen.add(r.getKind() + "/" + ns + "/" + name)) {
                p.add("metadata.name", "defined twice in namespace '" + ns + "'");
            }
            problems.addAll(p.list());
            if (!p.isEmpty()) {
                continue;
            }
            if (r instanceof EventStream es) {
                streams.put(ns + "/" + name, es);
            } else if (r instanceof Metric || r instanceof Funnel || r instanceof Retention) {
                analyses.add(r);
            }
        }

        Map<String, StreamContext> contexts = new TreeMap<>();
        for (Map.Entry<String, EventStream> e : streams.entrySet()) {
            Problems p = new Problems(e.getValue());
            StreamChecks.check(e.getValue(), p);
            problems.addAll(p.list());
            if (p.isEmpty()) {
                contexts.put(e.getKey(), new StreamContext(e.getValue()));
            }
        }

        for (HasMetadata a : analyses) {
            Problems p = new Problems(a);
            String streamName = AnalysisCompiler.streamOf(a);
            String ns = a.getMetadata().getNamespace();
            StreamContext ctx = streamName == null ? null : contexts.get(ns + "/" + streamName);
            if (streamName == null) {
                p.add("spec.stream", "required: the name of an EventStream in namespace '" + ns + "'");
            } else if (ctx == null) {
                boolean invalidStream = streams.containsKey(ns + "/" + streamName);
                p.add("spec.stream", invalidStream
                        ? "EventStream '" + streamName + "' in namespace '" + ns + "' is itself invalid"
                        : "no EventStream '" + streamName + "' in namespace '" + ns + "' (an analysis reads a stream of its own namespace)");
            }
            if (ctx == null) {
                problems.addAll(p.list());
                continue;
            }
            Set<String> used = new TreeSet<>();
            AnalysisPlan plan = new AnalysisCompiler(ctx.stream, ctx.schema, ctx.semantics, p, used).compile(a);
            problems.addAll(p.list());
            String pipeline = pipelineName(ctx.stream, a);
            if (p.isEmpty()) {
                ctx.add(pipeline, pinnedAsBefore(pipeline, plan));
            } else {
                previous(pipeline, a).ifPresent(prev -> ctx.add(pipeline, prev));
            }
        }

        List<PipelinePlan> plans = new ArrayList<>();
        for (StreamContext ctx : contexts.values()) {
            plans.addAll(ctx.plans());
        }
        plans.sort(Comparator.comparing(PipelinePlan::pipeline));
        problems.sort(Comparator.comparing(Problem::namespace, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Problem::resource).thenComparing(Problem::field));
        return new Compilation(List.copyOf(plans), List.copyOf(problems));
    }

    /**
     * The analysis with the backfill of the same version in the previous plan of its pipeline: a
     * version keeps its hand-over for as long as it runs there (changing only spec.backfill of a
     * running version changes nothing), pinned or not (see {@link PipelinePlan#needsPinning}).
     */
    private AnalysisPlan pinnedAsBefore(String pipeline, AnalysisPlan plan) {
        PipelinePlan prev = previousPlans.get(pipeline);
        if (prev == null) {
            return plan;
        }
        return prev.analyses().stream()
                .filter(a -> a.id().equals(plan.id()))
                .findFirst()
                .map(a -> plan.withBackfill(a.backfill()))
                .orElse(plan);
    }

    private Optional<AnalysisPlan> previous(String pipeline, HasMetadata a) {
        PipelinePlan prev = previousPlans.get(pipeline);
        return prev == null ? Optional.empty() : prev.analysis(AnalysisKind.of(a), a.getMetadata().getName());
    }

    /** The EventStream an analysis (Metric, Funnel or Retention) reads, as its spec names it. */
    public static String streamOf(HasMetadata analysis) {
        return AnalysisCompiler.streamOf(analysis);
    }

    /** The FlinkDeployment that runs a stream's shared analyses. */
    public static String pipelineName(EventStream stream) {
        return Names.objectName(stream.getMetadata().getName(), "pipeline");
    }

    /**
     * The one of a stream's pipelines that writes its malformed records to the dead-letter topic
     * (the others count them only, so each is a dead letter once; {@code status.input} counts from
     * its job's start): the shared pipeline when the stream has one, else the first dedicated one by
     * name. Null when there is none.
     */
    public static String leadPipeline(EventStream stream, Collection<String> pipelines) {
        String shared = pipelineName(stream);
        return pipelines.contains(shared) ? shared : pipelines.stream().sorted().findFirst().orElse(null);
    }

    /** The FlinkDeployment that runs an analysis: its stream's, or its own when dedicated. */
    public static String pipelineName(EventStream stream, HasMetadata analysis) {
        PipelineOptions options = AnalysisCompiler.specOf(analysis).getPipeline();
        if (options != null && options.getIsolation() == PipelineOptions.Isolation.dedicated) {
            return Names.objectName(stream.getMetadata().getName(), AnalysisKind.of(analysis).prefix(), analysis.getMetadata().getName());
        }
        return pipelineName(stream);
    }

    private static List<HasMetadata> sorted(Collection<? extends HasMetadata> resources) {
        List<HasMetadata> list = new ArrayList<>(resources);
        list.sort(Comparator.comparing((HasMetadata r) -> Objects.toString(r.getMetadata().getNamespace(), ""))
                .thenComparing(HasMetadata::getKind)
                .thenComparing(r -> Objects.toString(r.getMetadata().getName(), "")));
        return list;
    }

    /** The plans of one stream, built up analysis by analysis. */
    private final class StreamContext {
        final EventStream stream;
        final StreamSchema schema;
        final StreamPlan.Semantics semantics;
        final Map<String, List<AnalysisPlan>> analysesByPipeline = new TreeMap<>();

        StreamContext(EventStream stream) {
            this.stream = stream;
            this.schema = new StreamSchema(stream);
            this.semantics = semantics(stream);
            analysesByPipeline.put(pipelineName(stream), new ArrayList<>());
        }

        void add(String pipeline, AnalysisPlan plan) {
            analysesByPipeline.computeIfAbsent(pipeline, k -> new ArrayList<>()).add(plan);
        }

        List<PipelinePlan> plans() {
            List<PipelinePlan> out = new ArrayList<>();
            analysesByPipeline.forEach((pipeline, list) -> {
                list.sort(Comparator.comparing(AnalysisPlan::id));
                out.add(PlanJson.sealed(new PipelinePlan(PipelinePlan.API_VERSION, pipeline, null,
                        streamPlan(pipeline), List.copyOf(list))));
            });
            return out;
        }

        StreamPlan streamPlan(String pipeline) {
            EventStreamSpec spec = stream.getSpec();
            // the whole declared schema, whatever the analyses read: a record's fate (malformed
            // or not, docs/bad-events.md) depends only on its stream
            List<FieldPlan> fields = new ArrayList<>();
            new TreeMap<>(schema.fields()).forEach((f, t) -> {
                if (!isBuiltIn(semantics, f)) {
                    fields.add(new FieldPlan(f, t));
                }
            });
            var wm = spec.getWatermark();
            String idle = wm == null || wm.getIdleTimeout() == null ? Defaults.IDLE_TIMEOUT : wm.getIdleTimeout();
            int parallelism = spec.getPipeline() == null || spec.getPipeline().getParallelism() == null
                    ? Defaults.PARALLELISM : spec.getPipeline().getParallelism();
            StreamPlan.Semantics s = semantics; // one definition of these settings, for the plan and for every version
            return new StreamPlan(stream.getMetadata().getNamespace(), stream.getMetadata().getName(), s.topic(), consumerGroup(stream, pipeline),
                    s.format(), s.eventTypeField(), s.actorField(), s.timestampField(), s.timestampFormat(), s.maxOutOfOrdernessMs(),
                    StreamChecks.millis(idle), s.maxFutureSkewMs(), s.maxRecordBytes(), s.maxValueLength(),
                    List.copyOf(fields), parallelism, Boolean.TRUE.equals(spec.getSuspend()));
        }
    }

    /** The settings of a (valid) stream that decide which events count, with defaults applied. */
    private static StreamPlan.Semantics semantics(EventStream stream) {
        EventStreamSpec spec = stream.getSpec();
        var wm = spec.getWatermark();
        String ooo = wm == null || wm.getMaxOutOfOrderness() == null ? Defaults.MAX_OUT_OF_ORDERNESS : wm.getMaxOutOfOrderness();
        String skew = wm == null || wm.getMaxFutureSkew() == null ? Defaults.MAX_FUTURE_SKEW : wm.getMaxFutureSkew();
        StreamLimits limits = spec.getLimits();
        int maxRecordBytes = limits == null || limits.getMaxRecordBytes() == null ? StreamLimits.DEFAULT_MAX_RECORD_BYTES : limits.getMaxRecordBytes();
        int maxValueLength = limits == null || limits.getMaxValueLength() == null ? StreamLimits.DEFAULT_MAX_VALUE_LENGTH : limits.getMaxValueLength();
        return new StreamPlan.Semantics(spec.getKafka().getTopic(), spec.getFormat() == null ? "json" : spec.getFormat().name(),
                spec.getEventTypeField(), spec.getActorField(), spec.getTimestamp().getField(),
                spec.getTimestamp().getFormat() == null ? "epochMillis" : spec.getTimestamp().getFormat().name(),
                StreamChecks.millis(ooo), StreamChecks.millis(skew), maxRecordBytes, maxValueLength);
    }

    /** The event type, actor and timestamp fields: every plan reads them, so {@code fields} lists them nowhere. */
    static boolean isBuiltIn(StreamPlan.Semantics stream, String field) {
        return field.equals(stream.eventTypeField()) || field.equals(stream.actorField()) || field.equals(stream.timestampField());
    }

    /**
     * The consumer group of one of a stream's pipelines: the stream's for its shared pipeline,
     * {@code <stream group>.<pipeline>} for a dedicated one, so each job's committed position (its
     * lag, and where it resumes: a new version's hand-over) is its own.
     */
    public static String consumerGroup(EventStream stream, String pipeline) {
        return pipeline.equals(pipelineName(stream)) ? consumerGroup(stream) : consumerGroup(stream) + "." + pipeline;
    }

    public static String consumerGroup(EventStream stream) {
        return "pulse." + stream.getMetadata().getNamespace() + "." + stream.getMetadata().getName();
    }
}
