package dev.pulse.pipeline.backfill;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.pipeline.PipelineGraph;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;

/**
 * What one version of an analysis reads: its live records and, when it reads history, the records
 * of its history read (null otherwise). Both sides run the same functions as separate operators
 * chained to their source, and meet only at the analysis's first keyed operator, so the live
 * events cross no extra network hop.
 *
 * @param history null when the version reads no history
 */
public record VersionStream<T>(AnalysisPlan plan, DataStream<T> live, DataStream<T> history) {

    /** Both sides through the function; the history side's operator uid is {@code <operator>-history}. */
    public <R> VersionStream<R> flatMap(FlatMapFunction<T, R> function, TypeInformation<R> type, String name, String operator) {
        DataStream<R> l = live.flatMap(function).returns(type).name(name).uid(PipelineGraph.uid(plan, operator));
        DataStream<R> h = history == null ? null
                : history.flatMap(function).returns(type).name(name + " (history)").uid(PipelineGraph.uid(plan, operator + "-history"));
        return new VersionStream<>(plan, l, h);
    }

    /**
     * The analysis's first keyed operator over both sides: the plain keyed operator without
     * history, a {@link LiveAndHistoryOperator} with it (same function, state and uid).
     */
    public <O> SingleOutputStreamOperator<O> process(KeySelector<T, String> key, KeyedProcessFunction<String, T, O> function,
            TypeInformation<O> type, String name, String operator) {
        return process(key, Types.STRING, function, type, name, operator);
    }

    /** {@link #process(KeySelector, KeyedProcessFunction, TypeInformation, String, String)} with a key of another type. */
    public <K, O> SingleOutputStreamOperator<O> process(KeySelector<T, K> key, TypeInformation<K> keyType,
            KeyedProcessFunction<K, T, O> function, TypeInformation<O> type, String name, String operator) {
        if (history == null) {
            return live.keyBy(key, keyType).process(function).returns(type).name(name).uid(PipelineGraph.uid(plan, operator));
        }
        return live.connect(history).keyBy(key, key, keyType)
                .transform(name, type, new LiveAndHistoryOperator<>(function)).uid(PipelineGraph.uid(plan, operator));
    }
}
