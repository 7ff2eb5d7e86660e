package dev.pulse.pipeline.event;

import dev.pulse.api.plan.DeadLetters;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Passes well-formed events on and sends malformed ones to the {@link #DEAD_LETTERS} side
 * output, counting them in the {@code malformedRecords} metric of the stream, in total and per
 * reason (a {@code reason} group: a label in Prometheus). Stamps each event
 * with the source's watermark as it passes ({@link Event#sourceWatermark}).
 */
public final class SplitMalformed extends ProcessFunction<Event, Event> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };
    /** Accumulators with the job's totals (read by replay). */
    public static final String EVENTS_ACCUMULATOR = "pulse.events";
    public static final String MALFORMED_ACCUMULATOR = "pulse.malformed";
    private final String stream;
    private transient LongCounter eventTotal;
    private transient LongCounter malformedTotal;
    private transient Counter malformed;
    /** By {@link DeadLetters.Reason#ordinal()}: malformed records of that reason. */
    private transient Counter[] malformedByReason;
    private transient Counter events;

    public SplitMalformed(String stream) {
        this.stream = stream;
    }

    @Override
    public void open(OpenContext context) {
        var group = getRuntimeContext().getMetricGroup().addGroup("pulse").addGroup("stream", stream);
        malformed = group.counter("malformedRecords");
        malformedByReason = new Counter[DeadLetters.Reason.values().length];
        for (DeadLetters.Reason r : DeadLetters.Reason.values()) {
            if (r != DeadLetters.Reason.LATE) {
                malformedByReason[r.ordinal()] = group.addGroup("reason", r.code()).counter("malformedRecords");
            }
        }
        events = group.counter("events");
        eventTotal = new LongCounter();
        malformedTotal = new LongCounter();
        getRuntimeContext().addAccumulator(EVENTS_ACCUMULATOR, eventTotal);
        getRuntimeContext().addAccumulator(MALFORMED_ACCUMULATOR, malformedTotal);
    }

    @Override
    public void processElement(Event e, Context ctx, Collector<Event> out) {
        if (e.isMalformed()) {
            malformed.inc();
            malformedByReason[e.reason.ordinal()].inc();
            malformedTotal.add(1);
            ctx.output(DEAD_LETTERS, DeadLetter.of(e));
        } else {
            events.inc();
            eventTotal.add(1);
            e.sourceWatermark = ctx.timerService().currentWatermark();
            out.collect(e);
        }
    }
}
