package dev.pulse.operator.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Consumer lag of a stream's pipelines: one admin round per stream (describe the topic, the
 * committed offsets of every pipeline group in one request, the log-end offsets of every partition
 * in one request; the earliest offsets only for partitions a group never committed). Lag in
 * seconds comes from each partition's {@link OffsetTimeline}, fed by the same log-end reads.
 * One admin client per bootstrap address, kept open.
 */
public final class LagProbe implements AutoCloseable {
    private final Clock clock;
    private final Duration timeout;
    private final Map<String, Admin> admins = new ConcurrentHashMap<>();
    private final Map<TopicPartitionKey, OffsetTimeline> timelines = new ConcurrentHashMap<>();

    private record TopicPartitionKey(String bootstrap, TopicPartition partition) {
    }

    public LagProbe(Clock clock, Duration timeout) {
        this.clock = clock;
        this.timeout = timeout;
    }

    /** The lag of each group on the topic; a failure is a reading with an error, never an exception. */
    public Map<String, LagReading> probe(String bootstrap, String topic, List<String> groups) {
        Instant now = clock.instant();
        Map<String, LagReading> out = new LinkedHashMap<>();
        try {
            Admin admin = admins.computeIfAbsent(bootstrap, this::admin);
            TopicDescription description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
            List<TopicPartition> partitions = new ArrayList<>();
            description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));

            Map<String, ListConsumerGroupOffsetsSpec> specs = new LinkedHashMap<>();
            groups.forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions)));
            var committedResult = admin.listConsumerGroupOffsets(specs);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all());
            long nowMs = now.toEpochMilli();
            for (TopicPartition tp : partitions) {
                timelines.computeIfAbsent(new TopicPartitionKey(bootstrap, tp), k -> new OffsetTimeline()).observe(ends.get(tp).offset(), nowMs);
            }

            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>();
            List<TopicPartition> neverCommitted = new ArrayList<>();
            for (String g : groups) {
                Map<TopicPartition, OffsetAndMetadata> offsets = get(committedResult.partitionsToOffsetAndMetadata(g));
                committed.put(g, offsets);
                for (TopicPartition tp : partitions) {
                    if (offsets.get(tp) == null && !neverCommitted.contains(tp)) {
                        neverCommitted.add(tp);
                    }
                }
            }
            Map<TopicPartition, Long> earliest = new HashMap<>();
            if (!neverCommitted.isEmpty()) {
                Map<TopicPartition, OffsetSpec> first = new HashMap<>();
                neverCommitted.forEach(tp -> first.put(tp, OffsetSpec.earliest()));
                get(admin.listOffsets(first).all()).forEach((tp, info) -> earliest.put(tp, info.offset()));
            }

            for (String g : groups) {
                long records = 0;
                long lagMs = 0;
                boolean any = false;
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata c = committed.get(g).get(tp);
                    any |= c != null;
                    long position = c != null ? c.offset() : earliest.getOrDefault(tp, 0L);
                    long end = ends.get(tp).offset();
                    records += Math.max(0, end - position);
                    lagMs = Math.max(lagMs, timelines.get(new TopicPartitionKey(bootstrap, tp)).lagMs(position, nowMs));
                }
                out.put(g, new LagReading(g, records, Math.round(lagMs / 1000.0), any, now, null));
            }
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof UnknownTopicOrPartitionException ? "topic " + topic + " does not exist"
                    : String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
            groups.forEach(g -> out.put(g, LagReading.failed(g, now, why)));
        } catch (TimeoutException e) {
            groups.forEach(g -> out.put(g, LagReading.failed(g, now, "Kafka at " + bootstrap + " did not answer within " + timeout)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            groups.forEach(g -> out.put(g, LagReading.failed(g, now, "interrupted")));
        } catch (RuntimeException e) {
            groups.forEach(g -> out.put(g, LagReading.failed(g, now, String.valueOf(e.getMessage()))));
        }
        return out;
    }

    /**
     * Where a job of the pipeline whose consumer group this is resumes reading, per partition of the
     * topic: the group's committed offset (the pipeline commits the position of every completed
     * checkpoint and savepoint synchronously), or the earliest retained offset where it never
     * committed (the job starts there). Read while the pipeline is stopped, it is a new version's
     * hand-over. Empty when the topic does not exist yet.
     *
     * @throws ExecutionException, TimeoutException when Kafka does not answer
     */
    public Map<Integer, Long> resumeOffsets(String bootstrap, String topic, String group)
            throws ExecutionException, TimeoutException, InterruptedException {
        Admin admin = admins.computeIfAbsent(bootstrap, this::admin);
        TopicDescription description;
        try {
            description = get(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Map.of();
            }
            throw e;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(
                Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions))).partitionsToOffsetAndMetadata(group));
        Map<TopicPartition, OffsetSpec> first = new HashMap<>();
        partitions.forEach(tp -> first.put(tp, OffsetSpec.earliest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> earliest = get(admin.listOffsets(first).all());
        Map<Integer, Long> out = new java.util.TreeMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long from = earliest.get(tp).offset();
            // a committed offset the topic no longer retains resumes at the earliest one (reset: earliest)
            out.put(tp.partition(), c == null ? from : Math.max(c.offset(), from));
        }
        return out;
    }

    /**
     * Progress of a history read: its group's committed offsets against its start offsets (the
     * earliest retained, or the first at or after {@code startTimestampMs}) and the hand-over.
     *
     * @param startTimestampMs Long.MIN_VALUE to start at the earliest retained record
     */
    public BackfillReading history(String bootstrap, String topic, String group, Map<Integer, Long> handOver, long startTimestampMs) {
        Instant now = clock.instant();
        try {
            Admin admin = admins.computeIfAbsent(bootstrap, this::admin);
            List<TopicPartition> partitions = new ArrayList<>();
            handOver.keySet().forEach(p -> partitions.add(new TopicPartition(topic, p)));
            Map<TopicPartition, OffsetSpec> starts = new HashMap<>();
            partitions.forEach(tp -> starts.put(tp, startTimestampMs == Long.MIN_VALUE ? OffsetSpec.earliest() : OffsetSpec.forTimestamp(startTimestampMs)));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> first = get(admin.listOffsets(starts).all());
            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(
                    Map.of(group, new ListConsumerGroupOffsetsSpec().topicPartitions(partitions))).partitionsToOffsetAndMetadata(group));
            long done = 0;
            long total = 0;
            boolean finished = true;
            for (TopicPartition tp : partitions) {
                long end = handOver.get(tp.partition());
                // no record at or after the start time: offset -1, nothing to read
                long from = first.get(tp).offset() < 0 ? end : Math.min(first.get(tp).offset(), end);
                OffsetAndMetadata c = committed.get(tp);
                long at = c == null ? from : Math.min(Math.max(c.offset(), from), end);
                total += end - from;
                done += at - from;
                finished &= at >= end;
            }
            return new BackfillReading(done, total, finished, now, null);
        } catch (ExecutionException e) {
            return BackfillReading.failed(now, String.valueOf(e.getCause() == null ? e : e.getCause().getMessage()));
        } catch (TimeoutException e) {
            return BackfillReading.failed(now, "Kafka at " + bootstrap + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BackfillReading.failed(now, "interrupted");
        } catch (RuntimeException e) {
            return BackfillReading.failed(now, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Whether the topic exists in Kafka (a stream may create only a topic that does not).
     *
     * @throws ExecutionException, TimeoutException when Kafka does not answer
     */
    public boolean topicExists(String bootstrap, String topic) throws ExecutionException, TimeoutException, InterruptedException {
        Admin admin = admins.computeIfAbsent(bootstrap, this::admin);
        try {
            get(admin.describeTopics(List.of(topic)).allTopicNames());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            throw e;
        }
    }

    /** Forgets the offset history of a topic (its stream was deleted). */
    public void forget(String topic) {
        timelines.keySet().removeIf(k -> k.partition().topic().equals(topic));
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> f) throws ExecutionException, TimeoutException, InterruptedException {
        return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Admin admin(String bootstrap) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "pulse-operator-lag-probe");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return Admin.create(p);
    }

    @Override
    public void close() {
        admins.values().forEach(a -> a.close(Duration.ofSeconds(5)));
        admins.clear();
    }
}
