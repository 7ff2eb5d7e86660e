package dev.pulse.pipeline.backfill;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.StreamPlan;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.KafkaEventDeserializer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.common.TopicPartition;

/**
 * The bounded reads of history of a plan's backfilling versions: one per group of versions pinned
 * together ({@link BackfillPlan#historyId()}), over the stream's topic, from the earliest record
 * the group needs up to (not including) its hand-over offsets.
 *
 * <ul>
 * <li>Start: the earliest offset when some version of the group counts every retained record;
 * otherwise the first offset whose Kafka timestamp is at or after the group's first counted
 * event time less {@link #MARGIN_MS}. Kafka finds offsets by record timestamp, and a record's
 * event time may be ahead of its timestamp (up to the stream's future skew, one hour by default):
 * the margin keeps such records in the read; those before the version's first counted time are
 * filtered out after the read ({@link VersionFilter}).</li>
 * <li>Progress: offsets are committed on checkpoints to {@link BackfillPlan#historyGroup}, where
 * the operator reads how far the backfill is; the hand-over offsets once the read is complete
 * ({@link HistoryProgress}).</li>
 * <li>No watermarks: a version's operators keep their watermark at its minimum while its history
 * is read, so none of its windows is final before its history is complete; the read's end
 * releases it ({@link LiveAndHistoryOperator}).</li>
 * <li>Malformed records are dropped without a dead letter (the live source sent them once).</li>
 * <li>Flink restores a read that finished as finished: a job restored from a checkpoint or
 * savepoint taken after it does not read again.</li>
 * </ul>
 */
public final class HistoryRead {
    /** How far before a group's first counted event time the read starts, by Kafka timestamp. */
    public static final long MARGIN_MS = 3_600_000;

    private HistoryRead() {
    }

    /** Adds the plan's history reads to the environment; the events of each, by history id. */
    public static Map<String, DataStream<Event>> add(StreamExecutionEnvironment env, PipelinePlan plan, EventLayout layout,
            String bootstrapServers) {
        Map<String, List<BackfillPlan>> groups = new LinkedHashMap<>();
        for (AnalysisPlan a : plan.analyses()) {
            if (HandOver.pinned(a) && a.backfill().readsHistory()) {
                groups.computeIfAbsent(a.backfill().historyId(), id -> new java.util.ArrayList<>()).add(a.backfill());
            }
        }
        Map<String, DataStream<Event>> reads = new HashMap<>();
        groups.forEach((id, versions) -> reads.put(id, read(env, plan.stream(), layout, bootstrapServers, id, versions)));
        return reads;
    }

    private static DataStream<Event> read(StreamExecutionEnvironment env, StreamPlan stream, EventLayout layout, String bootstrapServers,
            String id, List<BackfillPlan> versions) {
        BackfillPlan first = versions.get(0);
        // exactly the hand-over's partitions, each up to its hand-over offset: a partition added
        // later is read live from its first record
        Map<TopicPartition, Long> stop = new HashMap<>();
        first.handOver().forEach((partition, offset) -> stop.put(new TopicPartition(stream.topic(), partition), offset));
        KafkaSource<Event> kafka = KafkaSource.<Event>builder()
                .setBootstrapServers(bootstrapServers)
                .setPartitions(new HashSet<>(stop.keySet()))
                .setGroupId(first.historyGroup(stream))
                .setStartingOffsets(start(versions))
                .setBounded(OffsetsInitializer.offsets(stop))
                .setDeserializer(new KafkaEventDeserializer(layout, true))
                // progress is committed by HistoryProgress
                .setProperty("commit.offsets.on.checkpoint", "false")
                .build();
        return env.fromSource(new HistorySource(kafka), WatermarkStrategy.noWatermarks(), "history " + stream.topic() + " " + id,
                        TypeInformation.of(Event.class))
                .uid("source/backfill-" + id)
                .transform("history " + id + ": progress", TypeInformation.of(Event.class),
                        new HistoryProgress(bootstrapServers, first.historyGroup(stream), stream.topic(), first.handOver()))
                .uid("source/backfill-" + id + "/progress");
    }

    /** Where a group's read starts: see the class comment. */
    static OffsetsInitializer start(Collection<BackfillPlan> versions) {
        long from = versions.stream().mapToLong(BackfillPlan::countFromMs).min().orElse(Long.MIN_VALUE);
        if (from == Long.MIN_VALUE) {
            return OffsetsInitializer.earliest();
        }
        return OffsetsInitializer.timestamp(Math.max(0, from - MARGIN_MS));
    }
}
