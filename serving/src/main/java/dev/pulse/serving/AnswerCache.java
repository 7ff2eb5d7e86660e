package dev.pulse.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.sql.SQLException;

/**
 * Answers kept by query, each tagged with the data version it was computed at: the detail
 * table's latest write and latest final window end ({@code ServingSchema.probe}, two index
 * lookups). A request probes first; the answer is reused only while the version is unchanged, so
 * newer rows landing (or a window turning final) invalidate it at once. Bounded, least recently used out.
 */
@ApplicationScoped
public class AnswerCache {
    @Inject
    ServingConfig config;
    @Inject
    MeterRegistry registry;

    private Map<String, Entry> entries;
    private Counter hits;
    private Counter misses;

    record Entry(Object version, Object answer) {
    }

    /** A cached or computed answer, and whether it came from the cache. */
    public record Lookup(Object answer, boolean hit) {
    }

    @PostConstruct
    void init() {
        int max = config.cacheEntries();
        entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > max;
            }
        };
        hits = Counter.builder("pulse.serving.cache").tag("result", "hit").description("answers served from the cache").register(registry);
        misses = Counter.builder("pulse.serving.cache").tag("result", "miss").description("answers computed").register(registry);
    }

    /** Computes an answer. */
    @FunctionalInterface
    public interface Computation {
        Object compute() throws SQLException;
    }

    /** The answer to a query at a data version: cached when the version matches, else computed and kept. */
    public Lookup get(String key, Object version, Computation compute) throws SQLException {
        Entry e;
        synchronized (this) {
            e = entries.get(key);
        }
        if (e != null && Objects.equals(e.version(), version)) {
            hits.increment();
            return new Lookup(e.answer(), true);
        }
        misses.increment();
        Object answer = compute.compute();
        synchronized (this) {
            entries.put(key, new Entry(version, answer));
        }
        return new Lookup(answer, false);
    }

    /** Empties the cache. */
    public synchronized void clear() {
        entries.clear();
    }
}
