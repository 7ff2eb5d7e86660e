package dev.pulse.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

/**
 * Answers kept by query as their encoded bytes (JSON or CSV, and gzipped once when a client asks),
 * each with its {@code ETag} and the snapshot it was read at ({@link Freshness.AsOf}). A request
 * reuses an answer while {@link Freshness#stillValid} says no row of its range changed since (one
 * indexed probe), so writes to other windows (the open one, late rows elsewhere) leave it cached.
 * Bounded by the bytes it holds ({@code pulse.serving.cache-bytes}), least recently used out.
 *
 * <p>An answer is computed by one request at a time ({@link #computeOnce}): requests that miss
 * while it is being computed wait for the next computation, which starts when it ends and serves
 * them all. That next one starts after each of them arrived, so none is given an answer older
 * than its own request; and a dashboard's many viewers of an answer the writer keeps changing cost
 * at most two computations at once instead of one each.
 */
@ApplicationScoped
public class AnswerCache {
    /** What an entry costs besides its bytes and its key's text: the objects around them. */
    static final int ENTRY_OVERHEAD_BYTES = 256;

    @Inject
    ServingConfig config;
    @Inject
    MeterRegistry registry;

    private Cache<Key, Entry> entries;
    private final Map<Key, Flights> flights = new HashMap<>();
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
     * @param limit the most rows (points) of the answer
     * @param top the most series of a breakdown (0 for answers that are not one)
     * @param offset the rows (or series) skipped: the cursor's position
     * @param format the encoding, {@code json} or {@code csv}
     */
    public record Key(String endpoint, String namespace, String name, String version, long grainMs, long fromMs, long toMs,
            List<String> groupBy, Map<String, List<String>> filters, int limit, int top, long offset, String format) {

        /** Roughly the bytes this key holds: its text twice (UTF-16) plus the objects. */
        int weight() {
            int chars = endpoint.length() + namespace.length() + name.length() + version.length() + format.length();
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

        /**
         * The query apart from its page, limit, top, encoding and analysis version: what a cursor
         * belongs to (stable across processes: filters in name order).
         */
        String fingerprint() {
            return Cursor.fingerprint(String.join("\u0000", endpoint, namespace, name, Long.toString(grainMs), Long.toString(fromMs),
                    Long.toString(toMs), groupBy.toString(), new java.util.TreeMap<>(filters).toString()));
        }

        /** The same query with another position or encoding. */
        Key with(long newOffset, String newFormat) {
            return new Key(endpoint, namespace, name, version, grainMs, fromMs, toMs, groupBy, filters, limit, top, newOffset, newFormat);
        }
    }

    /**
     * A cached answer.
     *
     * @param body the encoded answer
     * @param gzip the body gzipped, null until a client asks for it
     * @param etag its entity tag (quoted), of the body
     * @param next the cursor of the next page, null on the last
     * @param asOf what it was read at, moved forward by each probe that finds it valid
     */
    record Entry(byte[] body, byte[] gzip, String etag, String next, AtomicReference<Freshness.AsOf> asOf, int weight) {
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

    /** The cached answer of a query, still to be validated; null when none. */
    Entry find(Key key) {
        return entries.getIfPresent(key);
    }

    /** Counts an answer served from the cache. */
    void hit() {
        hits.increment();
    }

    /** Keeps a computed answer (when it fits) and counts the miss. */
    Entry put(Key key, byte[] body, String next, Freshness.AsOf asOf) {
        misses.increment();
        Entry e = entry(key, body, null, etag(body), next, new AtomicReference<>(asOf));
        if (e != null) {
            entries.put(key, e);
        }
        return e != null ? e : new Entry(body, null, etag(body), next, new AtomicReference<>(asOf), 0);
    }

    /** Computes an answer; {@link #computeOnce} runs it on one request's thread for all that wait. */
    @FunctionalInterface
    interface Computation {
        Entry run() throws SQLException;
    }

    /**
     * The computations of one key: the one running, and the one that starts when it ends, which
     * requests arriving meanwhile share (guarded by {@link #flights}).
     */
    private static final class Flights {
        CompletableFuture<Entry> running;
        CompletableFuture<Entry> next;
    }

    /**
     * An answer computed by {@code computation}, shared with every request for {@code key} that
     * arrives before it starts: the first such request runs it, once the computation running for
     * the key (if any) has ended; the others wait for its result (or its failure).
     */
    Entry computeOnce(Key key, Computation computation) throws SQLException {
        CompletableFuture<Entry> shared;
        CompletableFuture<Entry> mine = null;
        CompletableFuture<Entry> before = null;
        Flights f;
        synchronized (flights) {
            f = flights.computeIfAbsent(key, k -> new Flights());
            shared = f.next;
            if (shared == null) {
                mine = new CompletableFuture<>();
                f.next = mine;
                before = f.running;
            }
        }
        if (shared != null) {
            return await(shared);
        }
        if (before != null) {
            try {
                before.join();
            } catch (RuntimeException ignored) {
                // its failure is its requests' answer; this computation runs anyway
            }
        }
        synchronized (flights) {
            f.running = mine;
            f.next = null;
        }
        try {
            Entry e = computation.run();
            mine.complete(e);
            return e;
        } catch (SQLException | RuntimeException | Error ex) {
            mine.completeExceptionally(ex);
            throw ex;
        } finally {
            synchronized (flights) {
                if (f.running == mine) { // the next computation may have started already
                    f.running = null;
                }
                if (f.running == null && f.next == null) {
                    flights.remove(key, f);
                }
            }
        }
    }

    private static Entry await(CompletableFuture<Entry> flight) throws SQLException {
        try {
            return flight.join();
        } catch (CompletionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw ex;
        }
    }

    /** The body gzipped: made once per entry and kept with it (weighed again). */
    byte[] gzip(Key key, Entry e) {
        if (e.gzip() != null) {
            return e.gzip();
        }
        byte[] gz = gzip(e.body());
        Entry with = entry(key, e.body(), gz, e.etag(), e.next(), e.asOf());
        if (with != null) {
            entries.asMap().replace(key, e, with); // unless it was replaced or evicted meanwhile
        }
        return gz;
    }

    private static Entry entry(Key key, byte[] body, byte[] gzip, String etag, String next, AtomicReference<Freshness.AsOf> asOf) {
        long weight = (long) body.length + (gzip == null ? 0 : gzip.length) + key.weight() + ENTRY_OVERHEAD_BYTES
                + (next == null ? 0 : 2L * next.length());
        return weight <= Integer.MAX_VALUE ? new Entry(body, gzip, etag, next, asOf, (int) weight) : null;
    }

    /** A strong entity tag of some bytes: 128 bits of their SHA-256, quoted. */
    static String etag(byte[] body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(d, 16)) + "\"";
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The bytes the cache holds now (bodies, keys and overhead, as weighed). */
    public long weightedBytes() {
        entries.cleanUp();
        return entries.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Empties the cache. */
    public void clear() {
        entries.invalidateAll();
    }
}
