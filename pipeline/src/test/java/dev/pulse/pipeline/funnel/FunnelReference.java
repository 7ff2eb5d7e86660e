package dev.pulse.pipeline.funnel;

import dev.pulse.api.v1alpha1.funnel.FunnelSpec.Order;
import java.util.ArrayList;
import java.util.List;

/**
 * A second, plain implementation of the funnel semantics for tests: attempts found by scanning one
 * actor's sorted events. Each attempt starts at the first opener at or after the event that
 * closed the previous one, and its level comes from walking its conversion window.
 */
public final class FunnelReference {
    /** An event: time, step bits, exclusion bits, and the index of its breakdown values. */
    public record Ev(long time, long steps, long exclusions, int dims) {
    }

    /** An attempt: its first event's time and breakdown index, its level, whether it counts. */
    public record Attempt(long start, int dims, int level, boolean counted) {
    }

    private FunnelReference() {
    }

    public static List<Attempt> attempts(Order order, int n, long cw, int[] from, int[] to, List<Ev> events) {
        List<Attempt> out = new ArrayList<>();
        int pos = 0;
        while (true) {
            int i = pos;
            while (i < events.size() && !opener(order, events.get(i))) {
                i++;
            }
            if (i >= events.size()) {
                return out;
            }
            Ev first = events.get(i);
            boolean[] matched = new boolean[n];
            matched[Long.numberOfTrailingZeros(first.steps())] = true;
            int level = 1;
            int close = events.size();
            boolean counted = true;
            for (int j = i + 1; j < events.size() && level < n; j++) {
                Ev ev = events.get(j);
                if (ev.time() >= first.time() + cw) {
                    close = j;
                    break;
                }
                boolean disqualified = false;
                for (int x = 0; x < from.length; x++) {
                    if ((ev.exclusions() & (1L << x)) != 0 && level >= from[x] && level < to[x]) {
                        disqualified = true;
                    }
                }
                if (disqualified) {
                    counted = false;
                    close = j;
                    break;
                }
                if (order == Order.unordered) {
                    for (int s = 0; s < n; s++) {
                        if ((ev.steps() & (1L << s)) != 0 && !matched[s]) {
                            matched[s] = true;
                            level++;
                            break;
                        }
                    }
                } else if ((ev.steps() & (1L << level)) != 0) {
                    level++;
                } else if (order == Order.strict && (ev.steps() & (1L << (level - 1))) == 0) {
                    close = j;
                    break;
                }
                if (level == n) {
                    close = j;
                }
            }
            out.add(new Attempt(first.time(), first.dims(), level, counted));
            if (close >= events.size()) {
                return out;
            }
            pos = close == i ? i + 1 : close;
        }
    }

    private static boolean opener(Order order, Ev ev) {
        return order == Order.unordered ? ev.steps() != 0 : (ev.steps() & 1) != 0;
    }
}
