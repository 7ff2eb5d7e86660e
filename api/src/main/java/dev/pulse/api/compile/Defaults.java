package dev.pulse.api.compile;

import java.util.List;

/** Defaults for fields a resource leaves out; docs/plan.md lists them. */
public final class Defaults {
    public static final int PARTITIONS = 6;
    public static final String KAFKA_RETENTION = "7d";
    public static final String MAX_OUT_OF_ORDERNESS = "30s";
    public static final String IDLE_TIMEOUT = "1m";
    public static final String MAX_FUTURE_SKEW = "1h";
    public static final int PARALLELISM = 2;
    public static final String ALLOWED_LATENESS = "0s";
    /** A Retention's allowedLateness: how long after its own time an event still counts. */
    public static final String RETENTION_ALLOWED_LATENESS = "1m";
    public static final String EMIT_EVERY = "5s";
    public static final String SERVING_RETENTION = "30d";
    public static final String FRESHNESS_OBJECTIVE = "60s";
    public static final double DEVIATIONS = 3.0;
    public static final String MIN_HISTORY = "1d";
    public static final String TEMPLATE = "default";
    /** The grains a tumbling Metric's rollups default to ({@link #rollupsMs}): 5m, 1h, 1d. */
    public static final List<Long> ROLLUP_GRAINS_MS = List.of(300_000L, 3_600_000L, 86_400_000L);

    /**
     * {@code serving.rollups} when left out, for a tumbling Metric (every aggregation has rollups):
     * each of 5m, 1h and 1d that is coarser than the window and a multiple of its size (for
     * 1-minute windows 5m, 1h and 1d; for 10-minute windows 1h and 1d; for 1-hour windows 1d; for
     * 7-minute or 1-day windows none).
     */
    public static List<Long> rollupsMs(long windowMs) {
        return ROLLUP_GRAINS_MS.stream().filter(g -> g > windowMs && g % windowMs == 0).toList();
    }

    private Defaults() {
    }
}
