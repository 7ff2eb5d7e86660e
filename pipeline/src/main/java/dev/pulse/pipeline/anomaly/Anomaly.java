package dev.pulse.pipeline.anomaly;

/** A point of a metric's series that lies outside its expected band. */
public record Anomaly(long windowStart, double observed, double expected, double lower, double upper, double score) {
}
