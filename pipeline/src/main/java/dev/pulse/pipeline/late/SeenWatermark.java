package dev.pulse.pipeline.late;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.FunctionInitializationContext;

/**
 * The watermark an analysis's operator has seen, kept in its checkpoints (docs/semantics.md, "Late
 * data"). Flink does not checkpoint watermarks: after a restore an operator's watermark starts at
 * its minimum, and without this an event that was late before the restore would be accepted and
 * reopen or recreate a row that was already final. After a restore lateness is judged against the
 * larger of the current watermark and the restored one (the smallest over all subtasks, so a
 * rescaled job never judges a record against a watermark one of its inputs had not reached).
 *
 * <p>One per operator instance: the owner calls {@link #initialize} from its
 * {@code initializeState}, {@link #snapshot} from its {@code snapshotState}, and {@link #of} with
 * its current watermark wherever it judges lateness.
 */
public final class SeenWatermark {
    private ListState<Long> state;
    private long restored = Long.MIN_VALUE;
    private long last = Long.MIN_VALUE;

    /** Reads the watermark of the checkpoint restored from, if any (operator union state {@code watermark}). */
    public void initialize(FunctionInitializationContext context) throws Exception {
        state = context.getOperatorStateStore().getUnionListState(new ListStateDescriptor<>("watermark", LongSerializer.INSTANCE));
        restored = Long.MIN_VALUE;
        last = Long.MIN_VALUE;
        if (context.isRestored()) {
            long min = Long.MAX_VALUE;
            for (Long w : state.get()) {
                min = Math.min(min, w);
            }
            restored = min == Long.MAX_VALUE ? Long.MIN_VALUE : min;
            last = restored;
        }
    }

    /** The watermark to judge against: the larger of the operator's current one and the restored one. */
    public long of(long current) {
        last = Math.max(current, restored);
        return last;
    }

    /** Keeps the watermark seen last in the checkpoint. */
    public void snapshot() throws Exception {
        state.update(List.of(last));
    }
}
