package dev.pulse.api.compile;

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

    private Defaults() {
    }
}
