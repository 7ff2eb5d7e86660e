package dev.pulse.pipeline.metric;

import dev.pulse.api.plan.AnalysisPlan;
import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

/**
 * When a keyed row that changed is emitted provisionally: at the next multiple of emitEvery in
 * processing time, one timer per key and interval, only when provisional results are on.
 *
 * @param everyMs 0 when off (a replay, or no emitEvery)
 */
public record ProvisionalEmission(long everyMs) implements Serializable {
    public static ProvisionalEmission of(AnalysisPlan plan, boolean provisional) {
        return new ProvisionalEmission(provisional && plan.emitEveryMs() > 0 ? plan.emitEveryMs() : 0);
    }

    /**
     * Marks the key's row as changed ({@code dirty}); the first change since its last emission
     * registers the timer of the next one.
     */
    public void changed(ValueState<Boolean> dirty, TimerService timers) throws IOException {
        if (everyMs > 0 && !Boolean.TRUE.equals(dirty.value())) {
            dirty.update(true);
            long now = timers.currentProcessingTime();
            timers.registerProcessingTimeTimer(now - Math.floorMod(now, everyMs) + everyMs);
        }
    }
}
