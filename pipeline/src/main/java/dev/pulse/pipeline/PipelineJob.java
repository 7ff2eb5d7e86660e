package dev.pulse.pipeline;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.plan.StreamPlan;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.EventWatermarks;
import dev.pulse.pipeline.event.KafkaEventDeserializer;
import dev.pulse.pipeline.event.SplitMalformed;
import dev.pulse.pipeline.sink.DeadLetterSerializer;
import dev.pulse.pipeline.sink.MetricRowJson;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.pipeline.anomaly.AnomalyRow;
import dev.pulse.pipeline.backfill.CommittedPosition;
import dev.pulse.pipeline.backfill.HistoryRead;
import dev.pulse.pipeline.backfill.VersionInputs;
import dev.pulse.pipeline.sink.ServingConnections;
import java.sql.Connection;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import dev.pulse.pipeline.funnel.FunnelGraph;
import dev.pulse.pipeline.late.LateRecord;
import dev.pulse.pipeline.late.LateRecordSerializer;
import dev.pulse.pipeline.late.LateRecords;
import dev.pulse.pipeline.sink.PostgresUpsertSink;
import dev.pulse.pipeline.sink.RowBindings;
import dev.pulse.pipeline.sink.ResultTopicSerializer;
import dev.pulse.pipeline.types.GraphTypes;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming job of one PipelinePlan: {@code PipelineJob --plan plan.json [--bootstrap-servers
 * …] [--jdbc-url …]} (see {@link PipelineSettings} for every setting and its environment variable).
 *
 * <p>Kafka → parse once (in the source, so watermarks are per partition) → malformed records to
 * the dead letters → every analysis of the plan (Metrics, Funnels, Retention; {@link PipelineGraph}) → PostgreSQL upserts and
 * optional result topics. Offsets are committed to the stream's consumer group on checkpoints.
 * Versions the operator pinned read the live stream from their hand-over offsets on, and those
 * that backfill also one bounded history read per group of versions applied together
 * ({@link HistoryRead}; docs/changes.md).
 */
public final class PipelineJob {
    /** The producers' largest request: a dead letter is as large as the largest record the input topic took. */
    private static final int MAX_REQUEST_BYTES = 64 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(PipelineJob.class);
    private PipelineJob() {
    }

    public static void main(String[] args) throws Exception {
        PipelineSettings settings = PipelineSettings.from(args, System.getenv());
        PipelinePlan plan = PlanJson.read(Files.readString(settings.plan()));
        LOG.info("pipeline {} (plan {}): {} analyses over {}, restoring from {}", plan.pipeline(), plan.hash(), plan.analyses().size(),
                plan.stream().topic(), settings.restore() == null ? "nothing (a new job)" : settings.restore());
        if (settings.createTables() && settings.jdbcUrl() != null) {
            // without an operator (the embedded stack), the job sets up its serving tables and catalog itself
            try (Connection c = ServingConnections.open(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword())) {
                ServingSchema.apply(c, List.of(plan));
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(recovery(settings));
        define(env, plan, settings);
        env.execute("pulse " + plan.pipeline());
    }

    /**
     * Adds the plan's job to the environment (checkpointing is enabled unless the caller already did).
     *
     * @return every Metric's outputs, for callers that attach more (tests read the late events)
     */
    @SuppressWarnings("deprecation")
    public static List<PipelineGraph.MetricOutput> define(StreamExecutionEnvironment env, PipelinePlan plan, PipelineSettings settings) {
        // no record falls back to Kryo; GraphTypes.check below refuses POJO serializers on the analyses' keyed paths
        env.getConfig().disableGenericTypes();
        // events fan out to every analysis through chained operators; without reuse Flink would
        // deep-copy each event once per analysis. No function here mutates or keeps its input.
        env.getConfig().enableObjectReuse();
        if (!env.getCheckpointConfig().isCheckpointingEnabled() && settings.checkpointIntervalMs() > 0) {
            env.enableCheckpointing(settings.checkpointIntervalMs());
        }
        StreamPlan stream = plan.stream();
        EventLayout layout = new EventLayout(stream);
        var builder = KafkaSource.<Event>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setTopics(stream.topic())
                .setGroupId(stream.consumerGroup())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new KafkaEventDeserializer(layout))
                // committed synchronously by CommittedPosition: the source's own last commit is
                // asynchronous and lost when the job stops right after its final savepoint
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperty("partition.discovery.interval.ms", settings.bounded() ? "-1" : "60000");
        if (settings.bounded()) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        KafkaSource<Event> source = builder.build();
        // the watermark follows min(event time, Kafka timestamp); windows go by the event time
        long maxOutOfOrderness = stream.maxOutOfOrdernessMs();
        WatermarkStrategy<Event> watermarks = WatermarkStrategy
                .<Event>forGenerator(context -> new EventWatermarks(maxOutOfOrderness))
                .withTimestampAssigner((e, recordTime) -> e.time);
        if (stream.idleTimeoutMs() > 0) {
            watermarks = watermarks.withIdleness(Duration.ofMillis(stream.idleTimeoutMs()));
        }
        SingleOutputStreamOperator<Event> events = env.fromSource(source, watermarks, "kafka " + stream.topic())
                .uid("source/kafka")
                .transform("kafka " + stream.topic() + ": position", TypeInformation.of(Event.class),
                        CommittedPosition.live(settings.bootstrapServers(), stream.consumerGroup(), stream.topic()))
                .uid("source/kafka/position")
                .process(new SplitMalformed(stream.namespace() + "/" + stream.name()))
                .name("malformed records to dead letters").uid("events/split");
        if (settings.deadLetterTopic() != null && settings.malformedDeadLetters()) {
            events.getSideOutput(SplitMalformed.DEAD_LETTERS)
                    .sinkTo(kafkaSink(settings, new DeadLetterSerializer(settings.deadLetterTopic())))
                    .name("dead letters").uid("events/dead-letters");
        }
        VersionInputs inputs = VersionInputs.of(events, HistoryRead.add(env, plan, layout, settings.bootstrapServers()));
        List<PipelineGraph.MetricOutput> metrics = PipelineGraph.metrics(inputs, plan, layout, true);
        for (PipelineGraph.MetricOutput m : metrics) {
            addSinks(m, settings);
            DataStream<AnomalyRow> anomalies = PipelineGraph.anomalies(m, true);
            if (anomalies != null && settings.jdbcUrl() != null) {
                anomalies.sinkTo(new PostgresUpsertSink<>(target(settings), TableLayout.anomalies(m.plan()), RowBindings.ANOMALIES))
                        .name(m.plan().name() + ": anomalies to postgres").uid(PipelineGraph.uid(m.plan(), "anomalies-postgres"));
            }
        }
        List<FunnelGraph.Output> funnels = PipelineGraph.funnels(inputs, plan, layout, true);
        for (FunnelGraph.Output f : funnels) {
            if (settings.jdbcUrl() != null) {
                f.rows().sinkTo(new PostgresUpsertSink<>(target(settings), TableLayout.of(f.plan()), RowBindings.FUNNELS))
                        .name(f.plan().name() + ": postgres").uid(PipelineGraph.uid(f.plan(), "postgres"));
            }
        }
        List<PipelineGraph.RetentionOutput> retentions = PipelineGraph.retentions(inputs, plan, layout, true);
        for (PipelineGraph.RetentionOutput r : retentions) {
            if (settings.jdbcUrl() != null) {
                r.rows().sinkTo(new PostgresUpsertSink<>(target(settings), TableLayout.of(r.plan()), RowBindings.RETENTIONS))
                        .name(r.plan().name() + ": postgres").uid(PipelineGraph.uid(r.plan(), "postgres"));
            }
        }
        DataStream<LateRecord> late = LateRecords.of(metrics, funnels, retentions);
        if (settings.deadLetterTopic() != null && late != null) {
            // once per analysis an event was late for, with reason late and the analysis (docs/semantics.md)
            late.sinkTo(kafkaSink(settings, new LateRecordSerializer(settings.deadLetterTopic())))
                    .name("late events to dead letters").uid("late/dead-letters");
        }
        GraphTypes.check(env.getStreamGraph(false));
        return metrics;
    }

    /** Flink settings for where checkpoints are kept and what state to start from. */
    static Configuration recovery(PipelineSettings settings) {
        Configuration conf = new Configuration();
        if (settings.checkpointDir() != null) {
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, settings.checkpointDir());
            conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        }
        if (settings.restore() != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, settings.restore());
            conf.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true);
        }
        return conf;
    }

    private static PostgresUpsertSink.Target target(PipelineSettings settings) {
        return new PostgresUpsertSink.Target(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(),
                settings.createTables(), settings.batchSize(), settings.flushIntervalMs());
    }

    private static void addSinks(PipelineGraph.MetricOutput m, PipelineSettings settings) {
        DataStream<dev.pulse.pipeline.metric.MetricRow> rows = m.rows();
        if (settings.jdbcUrl() != null) {
            // the windows are keyed by the dimension values and the sink follows them: one rollup
            // bucket is refreshed by one writer, so two transactions never recompute it at once
            TableLayout detail = TableLayout.of(m.plan());
            rows.sinkTo(new PostgresUpsertSink<>(target(settings), detail, RowBindings.metrics(m.plan().metric().aggregation()),
                            new RollupMaintenance(detail, m.plan().metric())))
                    .name(m.plan().name() + ": postgres").uid(PipelineGraph.uid(m.plan(), "postgres"));
        }
        if (m.plan().outputTopic() != null) {
            rows.sinkTo(kafkaSink(settings, new ResultTopicSerializer(m.plan().outputTopic(), new MetricRowJson(m.plan()))))
                    .name(m.plan().name() + ": result topic").uid(PipelineGraph.uid(m.plan(), "result-topic"));
        }
    }

    private static <T> KafkaSink<T> kafkaSink(PipelineSettings settings,
            org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema<T> serializer) {
        return KafkaSink.<T>builder()
                .setBootstrapServers(settings.bootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                // a dead letter carries its record's original bytes, however large (too-large)
                .setProperty("max.request.size", Integer.toString(MAX_REQUEST_BYTES))
                .build();
    }
}
