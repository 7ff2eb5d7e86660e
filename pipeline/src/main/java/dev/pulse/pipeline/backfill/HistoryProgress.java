package dev.pulse.pipeline.backfill;

import dev.pulse.pipeline.event.Event;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Chained right after a history read's source: drops malformed records (the live source sent them to
 * the dead letters once already) and commits how far the read is to its consumer group
 * ({@code BackfillPlan.historyGroup}), where the operator reads backfill progress.
 *
 * <p>It commits, when a checkpoint completes, the offsets the checkpoint covers (the next offset
 * after the last record of each partition this subtask read), synchronously, and once its input
 * ended the hand-over offsets of those partitions, when the first checkpoint taken after that
 * completes (the final checkpoint a finishing task waits for). One committer per partition and no asynchronous commit that could land late: the source's
 * own commits are off, because its last one is asynchronous and is lost when the read's task
 * finishes right after it. A partition with nothing to read before its hand-over gets no commit.
 * A failed commit only delays the progress the operator sees; it never fails the job.
 */
public final class HistoryProgress extends AbstractStreamOperator<Event> implements OneInputStreamOperator<Event, Event>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private final String bootstrapServers;
    private final String group;
    private final String topic;
    private final long[] handOver;
    /** Per partition, the offset after the last record read (0: none read). */
    private transient long[] next;
    /** The offsets each pending checkpoint covers, by checkpoint id. */
    private transient TreeMap<Long, Map<TopicPartition, OffsetAndMetadata>> pending;
    /** The last checkpoint this operator took part in. */
    private transient long lastSnapshot;
    /** Once the input ended: the hand-over offsets of the partitions read, until committed. */
    private transient Map<TopicPartition, OffsetAndMetadata> end;
    private transient KafkaConsumer<byte[], byte[]> committer;

    HistoryProgress(String bootstrapServers, String group, String topic, Map<Integer, Long> handOver) {
        this.bootstrapServers = bootstrapServers;
        this.group = group;
        this.topic = topic;
        this.handOver = VersionFilter.offsets(handOver);
        // chained to the source: it sees every record the read emits, at no network cost
        this.chainingStrategy = ChainingStrategy.ALWAYS;
    }

    @Override
    public void open() throws Exception {
        super.open();
        next = new long[handOver.length];
        pending = new TreeMap<>();
        lastSnapshot = -1;
    }

    @Override
    public void processElement(StreamRecord<Event> record) {
        Event e = record.getValue();
        if (e.source >= next.length) {
            next = Arrays.copyOf(next, e.source + 1);
        }
        next[e.source] = e.position + 1;
        if (!e.isMalformed()) {
            output.collect(record);
        }
    }

    @Override
    public void endInput() {
        // every split of this subtask stopped at its hand-over (the last offsets before it may hold no record)
        for (int p = 0; p < Math.min(next.length, handOver.length); p++) {
            if (next[p] > 0) {
                next[p] = Math.max(next[p], handOver[p]);
            }
        }
        // a finished operator takes no part in the final checkpoint the task waits for, but hears it complete
        end = offsets();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        pending.put(context.getCheckpointId(), offsets());
        lastSnapshot = context.getCheckpointId();
    }

    private Map<TopicPartition, OffsetAndMetadata> offsets() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (int p = 0; p < next.length; p++) {
            if (next[p] > 0) {
                offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(next[p]));
            }
        }
        return offsets;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Map<TopicPartition, OffsetAndMetadata> offsets = null;
        Map.Entry<Long, Map<TopicPartition, OffsetAndMetadata>> done = pending.floorEntry(checkpointId);
        if (done != null) {
            offsets = done.getValue();
            pending.headMap(checkpointId, true).clear();
        }
        if (end != null && checkpointId > lastSnapshot) {
            // a checkpoint taken after the input ended: the read is complete in it
            offsets = end;
            end = null;
        }
        if (offsets != null && !offsets.isEmpty()) {
            commit(offsets);
        }
    }

    private void commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            if (committer == null) {
                Properties p = new Properties();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                p.put(ConsumerConfig.CLIENT_ID_CONFIG, group + "-progress-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
                committer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }
            committer.commitSync(offsets, Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            LOG.warn("cannot commit the progress of the history read to consumer group {}: {}", group, e.toString());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (committer != null) {
                committer.close(Duration.ofSeconds(5));
            }
        } finally {
            super.close();
        }
    }
}
