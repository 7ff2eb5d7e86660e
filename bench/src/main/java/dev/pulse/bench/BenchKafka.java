package dev.pulse.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/** What the backfill benchmark reads and sets in the broker: end offsets and consumer group offsets, per partition. */
final class BenchKafka implements AutoCloseable {
    private final Admin admin;
    private final String topic;
    private final int partitions;

    BenchKafka(Admin admin, String topic, int partitions) {
        this.admin = admin;
        this.topic = topic;
        this.partitions = partitions;
    }

    /** Partition to end offset, as the operator reads them when it pins a version. */
    Map<Integer, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<Integer, Long> out = new TreeMap<>();
        admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        return out;
    }

    /** The group's committed offsets on the topic (empty when none). */
    Map<Integer, Long> committed(String group) throws Exception {
        Map<Integer, Long> out = new TreeMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).forEach((tp, o) -> {
            if (o != null && tp.topic().equals(topic)) {
                out.put(tp.partition(), o.offset());
            }
        });
        return out;
    }

    /** Sets the group's offsets (the group must have no active member). */
    void commit(String group, Map<Integer, Long> offsets) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>();
        offsets.forEach((p, offset) -> o.put(new TopicPartition(topic, p), new OffsetAndMetadata(offset)));
        admin.alterConsumerGroupOffsets(group, o).all().get(30, TimeUnit.SECONDS);
    }

    /** Forgets the group's offsets, if it has any. */
    void deleteGroup(String group) throws Exception {
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
