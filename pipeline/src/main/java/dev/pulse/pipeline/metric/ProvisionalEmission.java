package dev.pulse.pipeline.metric;

import dev.pulse.api.plan.AnalysisPlan;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * When a keyed row that changed is emitted provisionally: at the next multiple of emitEvery in
 * processing time, one timer per key and interval, only when provisional results are on. Keeps
 * whether the key's row changed since its last emission in keyed state {@code dirty}.
 */
public final class ProvisionalEmission implements Serializable {
    private static final long serialVersionUID = 1L;
    /** 0 when off (a replay, or no emitEvery). */
    private final long everyMs;
    private transient ValueState<Boolean> dirty;

    public ProvisionalEmission(AnalysisPlan plan, boolean provisional) {
        this.everyMs = provisional && plan.emitEveryMs() > 0 ? plan.emitEveryMs() : 0;
    }

    /** Registers the keyed state; call from the function's {@code open}. */
    public void open(RuntimeContext context) {
        dirty = context.getState(new ValueStateDescriptor<>("dirty", Types.BOOLEAN));
    }

    /** The key's row changed; the first change since its last emission registers the timer of the next one. */
    public void changed(TimerService timers) throws IOException {
        if (everyMs > 0 && !Boolean.TRUE.equals(dirty.value())) {
            dirty.update(true);
            long now = timers.currentProcessingTime();
            timers.registerProcessingTimeTimer(now - Math.floorMod(now, everyMs) + everyMs);
        }
    }

    /**
     * Whether a timer emits the key's row: an event-time one always (the row became final, or a
     * period completed), a processing-time one only when the row changed since its last emission.
     */
    public boolean due(TimeDomain domain) throws IOException {
        return domain == TimeDomain.EVENT_TIME || Boolean.TRUE.equals(dirty.value());
    }

    /** The key's row was emitted. */
    public void emitted() {
        dirty.clear();
    }
}
