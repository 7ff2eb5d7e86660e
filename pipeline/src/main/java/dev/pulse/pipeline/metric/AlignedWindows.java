package dev.pulse.pipeline.metric;

import dev.pulse.api.plan.WindowPlan;
import dev.pulse.api.v1alpha1.common.WindowType;
import java.io.Serializable;

/**
 * The event-time windows of a metric, aligned to the UTC epoch (docs/semantics.md, "Windows"), identified by
 * their end (unique for every type): tumbling {@code [k·size, (k+1)·size)}; hopping
 * {@code [k·slide, k·slide+size)}; cumulative: in each period {@code [k·size, (k+1)·size)} the
 * windows {@code [k·size, k·size + j·step)}, j = 1…size/step. All half-open.
 */
public final class AlignedWindows implements Serializable {
    private static final long serialVersionUID = 1L;
    private final WindowType type;
    private final long size;
    private final long slide;
    private final long step;

    public AlignedWindows(WindowPlan plan) {
        this.type = plan.type();
        this.size = plan.sizeMs();
        this.slide = plan.slideMs();
        this.step = plan.stepMs();
        if (size <= 0 || (type == WindowType.hopping && (slide <= 0 || size % slide != 0))
                || (type == WindowType.cumulative && (step <= 0 || size % step != 0))) {
            throw new IllegalArgumentException("invalid window " + plan);
        }
    }

    /** The most windows one event can fall into. */
    public int maxWindows() {
        return switch (type) {
            case tumbling -> 1;
            case hopping -> (int) (size / slide);
            case cumulative -> (int) (size / step);
        };
    }

    /** Writes the ends of the windows holding time t into {@code ends}; returns how many. */
    public int endsOf(long t, long[] ends) {
        switch (type) {
            case tumbling -> {
                ends[0] = Math.floorDiv(t, size) * size + size;
                return 1;
            }
            case hopping -> {
                int n = 0;
                long last = Math.floorDiv(t, slide);
                for (long k = last; k * slide + size > t; k--) {
                    ends[n++] = k * slide + size;
                }
                return n;
            }
            default -> {
                long start = Math.floorDiv(t, size) * size;
                int n = 0;
                for (long j = Math.floorDiv(t - start, step) + 1; j <= size / step; j++) {
                    ends[n++] = start + j * step;
                }
                return n;
            }
        }
    }

    /** The start of the window with the given end. */
    public long startOf(long end) {
        return type == WindowType.cumulative ? Math.floorDiv(end - 1, size) * size : end - size;
    }
}
