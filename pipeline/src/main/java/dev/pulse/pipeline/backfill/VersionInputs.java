package dev.pulse.pipeline.backfill;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.pipeline.PipelineGraph;
import dev.pulse.pipeline.event.Event;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The well-formed events every analysis of a job reads from: the live stream and the job's
 * history reads ({@link HistoryRead}). An unpinned version reads the live stream as it is; a
 * pinned one reads it from its hand-over on and, when it reads history, its group's history read
 * ({@link VersionFilter}).
 */
public final class VersionInputs {
    private final DataStream<Event> live;
    private final Map<String, DataStream<Event>> history;

    private VersionInputs(DataStream<Event> live, Map<String, DataStream<Event>> history) {
        this.live = live;
        this.history = history;
    }

    /** Live events only (a replay, whose plans carry no pins). */
    public static VersionInputs of(DataStream<Event> live) {
        return new VersionInputs(live, Map.of());
    }

    /** Live events and the history reads, by history id. */
    public static VersionInputs of(DataStream<Event> live, Map<String, DataStream<Event>> history) {
        return new VersionInputs(live, Map.copyOf(history));
    }

    /** What the analysis's version reads. */
    public VersionStream<Event> of(AnalysisPlan a) {
        if (!HandOver.pinned(a)) {
            return new VersionStream<>(a, live, null);
        }
        BackfillPlan b = a.backfill();
        String name = a.kind() + " " + a.namespace() + "/" + a.name();
        DataStream<Event> liveSide = live.filter(VersionFilter.live(b)).name(name + ": from the hand-over").uid(PipelineGraph.uid(a, "hand-over"));
        if (!b.readsHistory()) {
            return new VersionStream<>(a, liveSide, null);
        }
        DataStream<Event> read = history.get(b.historyId());
        if (read == null) {
            throw new IllegalStateException(a.id() + " reads history " + b.historyId() + ", which the job does not read");
        }
        DataStream<Event> historySide = read.filter(VersionFilter.history(b)).name(name + ": history").uid(PipelineGraph.uid(a, "history"));
        return new VersionStream<>(a, liveSide, historySide);
    }
}
