package dev.pulse.pipeline.groups;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.pipeline.PipelineGraph;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.BooleanSerializer;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Bounds the dimension combinations of one period of an analysis to {@code spec.limits.maxGroups}
 * (docs/semantics.md, "Cardinality"), before its rows are aggregated. Keyed by the period, so
 * every record of a period meets the same decision whatever subtask read it: the first
 * {@code maxGroups} combinations to arrive keep their own rows; a record of any further
 * combination is moved to the period's {@code __other__} combination and counted in
 * {@code pulse.analysis.<analysis>.cappedRecords}. A combination once admitted stays admitted
 * until the period closes ({@link Groups#closesAt}), so all of its records go to one row; the
 * admitted set is keyed state, checkpointed with the rows it decided.
 *
 * <p>A record of a period already closed passes unchanged: the analysis's own operator finds it
 * late. In a replay (Flink's batch mode) a keyed operator's input is sorted by key and then by
 * record timestamp; the replay stamps each record with its input order ({@link InputOrder}), so
 * "first to arrive" is the input order there, whatever the parallelism.
 */
public final class GroupLimit<T> extends KeyedProcessFunction<Long, T, T> {
    private static final long serialVersionUID = 1L;
    private final Groups<T> groups;
    private final int maxGroups;
    private final String analysis;
    private transient MapState<String, Boolean> admitted;
    private transient ValueState<Integer> count;
    private transient Counter capped;

    public GroupLimit(AnalysisPlan plan, Groups<T> groups) {
        this.groups = groups;
        this.maxGroups = plan.groupLimit();
        this.analysis = DeadLetters.analysis(plan);
    }

    /**
     * The limit over the updates an analysis's per-actor operator sends to its rows (a Funnel's,
     * a Retention's), uid {@code <id>/groups}. In a replay the updates are first stamped with
     * their input order ({@code order}), and after the limit with {@code restore} when the rows
     * depend on the order of one actor's updates (null: left as they are).
     */
    public static <T> DataStream<T> add(DataStream<T> updates, AnalysisPlan plan, Groups<T> groups, boolean provisional,
            SerializableTimestampAssigner<T> order, SerializableTimestampAssigner<T> restore) {
        String name = plan.kind() + " " + plan.namespace() + "/" + plan.name();
        DataStream<T> in = provisional ? updates : updates.assignTimestampsAndWatermarks(WatermarkStrategy.<T>noWatermarks()
                .withTimestampAssigner(order)).name(name + ": input order").uid(PipelineGraph.uid(plan, "input-order"));
        DataStream<T> limited = in.keyBy(groups::period, Types.LONG).process(new GroupLimit<>(plan, groups)).returns(updates.getType())
                .name(name + ": group limit").uid(PipelineGraph.uid(plan, "groups"));
        if (provisional || restore == null) {
            return limited;
        }
        return limited.assignTimestampsAndWatermarks(WatermarkStrategy.<T>noWatermarks().withTimestampAssigner(restore))
                .name(name + ": update order").uid(PipelineGraph.uid(plan, "update-order"));
    }

    @Override
    public void open(OpenContext context) {
        admitted = getRuntimeContext().getMapState(new MapStateDescriptor<>("admitted", StringSerializer.INSTANCE, BooleanSerializer.INSTANCE));
        count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", IntSerializer.INSTANCE));
        capped = getRuntimeContext().getMetricGroup().addGroup("pulse").addGroup("analysis", analysis).counter("cappedRecords");
    }

    @Override
    public void processElement(T record, Context ctx, Collector<T> out) throws Exception {
        long period = ctx.getCurrentKey();
        long closesAt = groups.closesAt(period);
        if (closesAt > ctx.timerService().currentWatermark()) {
            String group = groups.group(record);
            if (!admitted.contains(group)) {
                Integer n = count.value();
                int taken = n == null ? 0 : n;
                if (taken >= maxGroups) {
                    groups.toOther(record, period);
                    capped.inc();
                } else if (groups.admits(record)) {
                    admitted.put(group, Boolean.TRUE);
                    count.update(taken + 1);
                    if (taken == 0) {
                        ctx.timerService().registerEventTimeTimer(closesAt);
                    }
                }
                // otherwise a record that takes back what its combination never sent while there is room: as it is
            }
        }
        out.collect(record);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        admitted.clear();
        count.clear();
    }
}
