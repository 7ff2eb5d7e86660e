package dev.pulse.local;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelinePlan;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records a version's backfill would read if applied now: per partition of its stream's
 * topic, the end offset less the offset its start maps to (earliest: the beginning offset; a time
 * or a duration back from now: the first offset whose record timestamp is at or after it, Kafka's
 * offsetsForTimes; none: the end offset). Record timestamps stand in for event time, so for a time
 * or duration it is an estimate. A topic that does not exist yet has nothing to read.
 */
final class BackfillRecords {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private BackfillRecords() {
    }

    /** Per analysis id of {@code plans}, the records its backfill reads; empty (and a line on {@code err}) when Kafka does not answer. */
    static Map<String, Long> count(String bootstrapServers, List<PipelinePlan> plans, long nowMs, PrintWriter err) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "pulse-plan");
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Map<String, Long> out = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Map<String, Topic> topics = new HashMap<>();
            for (PipelinePlan plan : plans) {
                Topic topic = topics.computeIfAbsent(plan.stream().topic(), t -> Topic.read(consumer, t));
                for (AnalysisPlan a : plan.analyses()) {
                    out.put(a.id(), topic.recordsFrom(consumer, a.backfill() == null ? BackfillPlan.EARLIEST : a.backfill(), nowMs));
                }
            }
            return out;
        } catch (KafkaException e) {
            err.println("pulse plan: Kafka at " + bootstrapServers + " did not answer (" + e.getMessage() + "): records to read unknown");
            err.flush();
            return Map.of();
        }
    }

    /** A topic's partitions with their beginning and end offsets. */
    private record Topic(Map<TopicPartition, Long> beginning, Map<TopicPartition, Long> end) {
        static Topic read(KafkaConsumer<byte[], byte[]> consumer, String name) {
            List<PartitionInfo> infos = consumer.partitionsFor(name, TIMEOUT);
            List<TopicPartition> partitions = infos == null ? List.of()
                    : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                return new Topic(Map.of(), Map.of());
            }
            return new Topic(consumer.beginningOffsets(partitions, TIMEOUT), consumer.endOffsets(partitions, TIMEOUT));
        }

        long recordsFrom(KafkaConsumer<byte[], byte[]> consumer, BackfillPlan backfill, long nowMs) {
            Map<TopicPartition, Long> start = switch (backfill.mode()) {
                case earliest -> beginning;
                case none -> end;
                case time -> offsetsAt(consumer, backfill.fromMs());
                case duration -> offsetsAt(consumer, nowMs - backfill.durationMs());
            };
            long total = 0;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                total += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), e.getValue()));
            }
            return total;
        }

        /** Per partition, the first offset with a record timestamp at or after {@code timeMs}; the end offset when there is none. */
        private Map<TopicPartition, Long> offsetsAt(KafkaConsumer<byte[], byte[]> consumer, long timeMs) {
            Map<TopicPartition, Long> query = new HashMap<>();
            end.keySet().forEach(p -> query.put(p, Math.max(0, timeMs)));
            Map<TopicPartition, Long> out = new HashMap<>(end);
            if (query.isEmpty()) {
                return out;
            }
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
            found.forEach((p, o) -> {
                if (o != null) {
                    out.put(p, o.offset());
                }
            });
            return out;
        }
    }
}
