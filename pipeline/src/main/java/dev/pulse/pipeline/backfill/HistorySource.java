package dev.pulse.pipeline.backfill;

import dev.pulse.pipeline.event.Event;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.KafkaSourceEnumState;
import org.apache.flink.connector.kafka.source.split.KafkaPartitionSplit;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A history read's bounded Kafka source, able to finish after a restore.
 *
 * <p>flink-connector-kafka 3.4.0's enumerator tells its readers that no more splits will come only
 * when its partition discovery finds a change. Restored from a checkpoint or savepoint taken after
 * every partition was assigned (a restart, an upgrade or a JobManager failover in the middle of a
 * backfill), it finds none, so its readers read up to their stopping offsets and then wait forever:
 * the read never ends and the version's watermark never leaves its minimum (the connector's
 * FLINK-33466). Restored in that state, this source tells each reader itself, after the
 * enumerator has handed it any splits it gets back. The read's partitions are a fixed set (the
 * hand-over's), so no partition can appear after that.
 */
final class HistorySource implements Source<Event, KafkaPartitionSplit, KafkaSourceEnumState>, ResultTypeQueryable<Event> {
    private static final long serialVersionUID = 1L;
    private final KafkaSource<Event> kafka;

    HistorySource(KafkaSource<Event> kafka) {
        this.kafka = kafka;
    }

    @Override
    public Boundedness getBoundedness() {
        return kafka.getBoundedness();
    }

    @Override
    public SourceReader<Event, KafkaPartitionSplit> createReader(SourceReaderContext context) throws Exception {
        return kafka.createReader(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> createEnumerator(SplitEnumeratorContext<KafkaPartitionSplit> context) {
        return kafka.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restoreEnumerator(SplitEnumeratorContext<KafkaPartitionSplit> context,
            KafkaSourceEnumState state) throws IOException {
        SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> restored = kafka.restoreEnumerator(context, state);
        boolean everyPartitionAssigned = state.initialDiscoveryFinished() && state.unassignedInitialPartitions().isEmpty();
        return everyPartitionAssigned ? new NoMoreSplitsOnRegistration(restored, context) : restored;
    }

    @Override
    public SimpleVersionedSerializer<KafkaPartitionSplit> getSplitSerializer() {
        return kafka.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KafkaSourceEnumState> getEnumeratorCheckpointSerializer() {
        return kafka.getEnumeratorCheckpointSerializer();
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return kafka.getProducedType();
    }

    /** The restored enumerator, telling each reader that registers that no more splits will come. */
    private static final class NoMoreSplitsOnRegistration implements SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> {
        private final SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator;
        private final SplitEnumeratorContext<KafkaPartitionSplit> context;

        NoMoreSplitsOnRegistration(SplitEnumerator<KafkaPartitionSplit, KafkaSourceEnumState> enumerator,
                SplitEnumeratorContext<KafkaPartitionSplit> context) {
            this.enumerator = enumerator;
            this.context = context;
        }

        @Override
        public void start() {
            enumerator.start();
        }

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {
            enumerator.handleSplitRequest(subtaskId, requesterHostname);
        }

        @Override
        public void addSplitsBack(List<KafkaPartitionSplit> splits, int subtaskId) {
            enumerator.addSplitsBack(splits, subtaskId);
        }

        @Override
        public void addReader(int subtaskId) {
            // first the splits the enumerator holds for the reader (those of a failed reader), then the end
            enumerator.addReader(subtaskId);
            context.signalNoMoreSplits(subtaskId);
        }

        @Override
        public KafkaSourceEnumState snapshotState(long checkpointId) throws Exception {
            return enumerator.snapshotState(checkpointId);
        }

        @Override
        public void close() throws IOException {
            enumerator.close();
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            enumerator.notifyCheckpointComplete(checkpointId);
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            enumerator.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            enumerator.handleSourceEvent(subtaskId, sourceEvent);
        }
    }
}
