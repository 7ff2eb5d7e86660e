package dev.pulse.pipeline.funnel;

import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.Order;
import java.util.function.Consumer;

/**
 * The attempt state machine of docs/semantics.md, for one actor's events taken in time order
 * (equal times: lower step first). Each event arrives as bitmasks: bit i of {@code steps} is set
 * when it matches step i+1, bit j of {@code exclusions} when it matches exclusion j.
 */
public final class FunnelMatcher implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final int stepCount;
    private final Order order;
    private final long conversionWindowMs;
    private final int[] exclusionFrom;
    private final int[] exclusionTo;

    public FunnelMatcher(FunnelPlan plan) {
        this(plan.steps().size(), plan.order(), plan.conversionWindowMs(),
                plan.exclusions().stream().mapToInt(FunnelPlan.ExclusionPlan::fromStep).toArray(),
                plan.exclusions().stream().mapToInt(FunnelPlan.ExclusionPlan::toStep).toArray());
    }

    public FunnelMatcher(int stepCount, Order order, long conversionWindowMs, int[] exclusionFrom, int[] exclusionTo) {
        if (stepCount < 1 || stepCount > 30) {
            throw new IllegalArgumentException("steps: " + stepCount);
        }
        this.stepCount = stepCount;
        this.order = order;
        this.conversionWindowMs = conversionWindowMs;
        this.exclusionFrom = exclusionFrom;
        this.exclusionTo = exclusionTo;
    }

    public long conversionWindowMs() {
        return conversionWindowMs;
    }

    public int stepCount() {
        return stepCount;
    }

    /** The sort rank of an event among events of the same time: its lowest step, or after all steps. */
    public int rank(int steps) {
        return steps == 0 ? stepCount : Integer.numberOfTrailingZeros(steps);
    }

    /**
     * Applies one event. Attempts that close are passed to {@code closed}; disqualified attempts
     * are dropped (counted nowhere).
     */
    public void onEvent(FunnelProgress p, long time, int steps, int exclusions, String[] dimensions, Consumer<FunnelAttempt> closed) {
        onEvent(p, time, steps, exclusions, dimensions, 0, closed);
    }

    /**
     * {@link #onEvent(FunnelProgress, long, int, int, String[], Consumer)}, with the event's input
     * order, which an attempt it opens keeps ({@link FunnelProgress#order}).
     */
    public void onEvent(FunnelProgress p, long time, int steps, int exclusions, String[] dimensions, long inputOrder,
            Consumer<FunnelAttempt> closed) {
        if (p.isOpen() && time >= p.start + conversionWindowMs) {
            close(p, closed);
        }
        if (p.isOpen()) {
            if (exclusions != 0 && excluded(p.level, exclusions)) {
                reset(p);
            } else {
                advance(p, time, steps, closed);
            }
        }
        if (!p.isOpen() && opens(steps)) {
            p.start = time;
            p.order = inputOrder;
            p.dimensions = dimensions;
            p.convertedAt = -1;
            if (order == Order.unordered) {
                p.matchedSteps = Integer.lowestOneBit(steps);
                p.level = 1;
            } else {
                p.matchedSteps = 1;
                p.level = 1;
            }
            if (p.level == stepCount) {
                p.convertedAt = time;
                close(p, closed);
            }
        }
    }

    /** Closes the open attempt when the watermark has passed the end of its conversion window. */
    public void onWatermark(FunnelProgress p, long watermark, Consumer<FunnelAttempt> closed) {
        if (p.isOpen() && watermark >= p.start + conversionWindowMs) {
            close(p, closed);
        }
    }

    /** Closes whatever is open (end of a bounded input). */
    public void finish(FunnelProgress p, Consumer<FunnelAttempt> closed) {
        if (p.isOpen()) {
            close(p, closed);
        }
    }

    private void advance(FunnelProgress p, long time, int steps, Consumer<FunnelAttempt> closed) {
        switch (order) {
            case ordered -> {
                if ((steps & (1 << p.level)) != 0) {
                    p.level++;
                }
            }
            case strict -> {
                if ((steps & (1 << p.level)) != 0) {
                    p.level++;
                } else if ((steps & (1 << (p.level - 1))) == 0) {
                    close(p, closed);
                    return;
                }
            }
            case unordered -> {
                int fresh = steps & ~p.matchedSteps;
                if (fresh != 0) {
                    p.matchedSteps |= Integer.lowestOneBit(fresh);
                    p.level++;
                }
            }
            default -> throw new IllegalStateException();
        }
        if (p.level == stepCount) {
            p.convertedAt = time;
            close(p, closed);
        }
    }

    private boolean opens(int steps) {
        return order == Order.unordered ? steps != 0 : (steps & 1) != 0;
    }

    private boolean excluded(int level, int exclusions) {
        for (int j = 0; j < exclusionFrom.length; j++) {
            if ((exclusions & (1 << j)) != 0 && level >= exclusionFrom[j] && level < exclusionTo[j]) {
                return true;
            }
        }
        return false;
    }

    private void close(FunnelProgress p, Consumer<FunnelAttempt> closed) {
        closed.accept(new FunnelAttempt(p.start, p.dimensions, p.level, p.convertedAt, p.order));
        reset(p);
    }

    private static void reset(FunnelProgress p) {
        p.start = -1;
        p.level = 0;
        p.matchedSteps = 0;
        p.convertedAt = -1;
        p.dimensions = null;
        p.order = 0;
    }
}
