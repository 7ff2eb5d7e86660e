package dev.pulse.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Answers kept by query as their JSON bytes, each tagged with the data version it was computed at:
 * the detail table's latest write and latest final window end ({@code ServingSchema.probe}, two
 * index lookups). A request probes first; the answer is reused only while the version is unchanged,
 * so newer rows landing (or a window turning final) invalidate it at once. Bounded by the bytes it
 * holds ({@code pulse.serving.cache-bytes}), least recently used out.
 */
@ApplicationScoped
public class AnswerCache {
    /** What an entry costs besides its JSON and its key's text: the objects around them. */
    static final int ENTRY_OVERHEAD_BYTES = 256;

    @Inject
    ServingConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper json;

    private Cache<Key, Entry> entries;
    private Counter hits;
    private Counter misses;

    /**
     * What identifies an answer: every part as its own field, so no two queries share a key (a filter
     * value {@code "a, b"} is one list element, two values {@code a} and {@code b} are two).
     *
     * @param endpoint metric, anomalies, funnel or retention
     * @param version the analysis version (semantic hash) read
     * @param grainMs the grain, the window size for endpoints without one
     * @param fromMs the range's start after rounding, epoch millis
     * @param toMs the range's end after rounding, epoch millis
     */
    public record Key(String endpoint, String namespace, String name, String version, long grainMs, long fromMs, long toMs,
            List<String> groupBy, Map<String, List<String>> filters, int limit) {

        /** Roughly the bytes this key holds: its text twice (UTF-16) plus the objects. */
        int weight() {
            int chars = endpoint.length() + namespace.length() + name.length() + version.length();
            for (String g : groupBy) {
                chars += g.length() + 16;
            }
            for (Map.Entry<String, List<String>> f : filters.entrySet()) {
                chars += f.getKey().length() + 16;
                for (String v : f.getValue()) {
                    chars += v.length() + 16;
                }
            }
            return 2 * chars;
        }
    }

    record Entry(Object version, byte[] json, int weight) {
    }

    /** A cached or computed answer as JSON, and whether it came from the cache. */
    public record Lookup(byte[] json, boolean hit) {
    }

    @PostConstruct
    void init() {
        entries = build(config.cacheBytes(), Runnable::run);
        hits = Counter.builder("pulse.serving.cache").tag("result", "hit").description("answers served from the cache").register(registry);
        misses = Counter.builder("pulse.serving.cache").tag("result", "miss").description("answers computed").register(registry);
    }

    /** A cache of at most {@code maxBytes}; eviction runs on {@code executor} (the caller's thread here and in tests). */
    static Cache<Key, Entry> build(long maxBytes, Executor executor) {
        return Caffeine.newBuilder().maximumWeight(maxBytes).weigher((Key k, Entry e) -> e.weight()).executor(executor).build();
    }

    /** Computes an answer. */
    @FunctionalInterface
    public interface Computation {
        Object compute() throws SQLException;
    }

    /** The answer to a query at a data version: cached when the version matches, else computed, serialized and kept. */
    public Lookup get(Key key, Object version, Computation compute) throws SQLException {
        Entry e = entries.getIfPresent(key);
        if (e != null && Objects.equals(e.version(), version)) {
            hits.increment();
            return new Lookup(e.json(), true);
        }
        misses.increment();
        byte[] answer;
        try {
            answer = json.writeValueAsBytes(compute.compute());
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("an answer did not serialize", ex);
        }
        long weight = (long) answer.length + key.weight() + ENTRY_OVERHEAD_BYTES;
        if (weight <= Integer.MAX_VALUE) {
            entries.put(key, new Entry(version, answer, (int) weight));
        }
        return new Lookup(answer, false);
    }

    /** The bytes the cache holds now (JSON, keys and overhead, as weighed). */
    public long weightedBytes() {
        entries.cleanUp();
        return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Empties the cache. */
    public void clear() {
        entries.invalidateAll();
    }
}
