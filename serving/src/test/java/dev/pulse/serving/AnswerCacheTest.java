package dev.pulse.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The answer cache's bound is bytes, and its keys keep every part apart. */
class AnswerCacheTest {
    private static AnswerCache.Key key(int n, Map<String, List<String>> filters) {
        return new AnswerCache.Key("metric", "growth", "orders", "aaaa", 60_000, 0, n, List.of("platform"), filters, 100, 20, 0, "json");
    }

    @Test
    void theCacheHoldsAtMostItsBytesWhateverTheNumberOfAnswers() {
        long max = 100_000;
        Cache<AnswerCache.Key, AnswerCache.Entry> cache = AnswerCache.build(max, Runnable::run);
        // 50 answers of 10,000 bytes: five times the bound
        for (int i = 0; i < 50; i++) {
            AnswerCache.Key k = key(i, Map.of());
            cache.put(k, new AnswerCache.Entry(new byte[10_000], null, "\"e\"", null, new java.util.concurrent.atomic.AtomicReference<>(),
                    10_000 + k.weight() + AnswerCache.ENTRY_OVERHEAD_BYTES));
            cache.cleanUp();
            assertThat(cache.policy().eviction().orElseThrow().weightedSize().orElseThrow()).isLessThanOrEqualTo(max);
        }
        assertThat(cache.estimatedSize()).isBetween(1L, 9L);
    }

    @Test
    void oneFilterValueWithACommaIsNotTwoValues() {
        AnswerCache.Key one = key(1, Map.of("platform", List.of("a, b")));
        AnswerCache.Key two = key(1, Map.of("platform", List.of("a", "b")));
        assertThat(one).isNotEqualTo(two);
        assertThat(key(1, Map.of("platform", List.of("a|b")))).isNotEqualTo(key(1, Map.of("platform|b", List.of("a"))));
        assertThat(key(1, Map.of("platform", List.of("a", "b")))).isEqualTo(two);
    }

    @Test
    void ifNoneMatchNamesEitherEncodingsTagWeakOrStrongOrAnyInAList() {
        String tag = AnswerCache.etag("{\"points\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String plain = tag.substring(1, tag.length() - 1);
        assertThat(QueryResource.matches(tag, tag)).isTrue();
        assertThat(QueryResource.matches("W/" + tag, tag)).isTrue();
        assertThat(QueryResource.matches("\"x\", \"" + plain + "-gzip\"", tag)).isTrue();
        assertThat(QueryResource.matches("*", tag)).isTrue();
        assertThat(QueryResource.matches(null, tag)).isFalse();
        assertThat(QueryResource.matches("\"" + plain + "x\"", tag)).isFalse();
        assertThat(QueryResource.matches(plain, tag)).as("unquoted").isFalse();
        assertThat(AnswerCache.etag(new byte[] {1})).isNotEqualTo(AnswerCache.etag(new byte[] {2}));
    }

    @Test
    void aCursorRoundTripsAndBelongsToItsQuery() {
        Cursor first = Cursor.parse(null, "fp");
        assertThat(first.offset()).isZero();
        String next = first.after(20);
        assertThat(Cursor.parse(next, "fp").offset()).isEqualTo(20);
        assertThat(Cursor.parse(Cursor.parse(next, "fp").after(20), "fp").offset()).isEqualTo(40);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cursor.parse(next, "other"))
                .isInstanceOf(ApiError.BadParameter.class).hasMessageContaining("another query");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cursor.parse("LTEuZnA", "fp")) // "-1.fp"
                .isInstanceOf(ApiError.BadParameter.class).hasMessageContaining("not a cursor");
        // filters in another order are the same query; another range is not
        AnswerCache.Key a = new AnswerCache.Key("metric", "ns", "m", "v", 1, 0, 10, List.of("p"),
                Map.of("p", List.of("x"), "q", List.of("y")), 10, 20, 0, "json");
        AnswerCache.Key b = new AnswerCache.Key("metric", "ns", "m", "v2", 1, 0, 10, List.of("p"),
                Map.of("q", List.of("y"), "p", List.of("x")), 5, 3, 40, "csv");
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThat(a.fingerprint()).isNotEqualTo(new AnswerCache.Key("metric", "ns", "m", "v", 1, 0, 11, List.of("p"),
                Map.of("p", List.of("x"), "q", List.of("y")), 10, 20, 0, "json").fingerprint());
    }

    @Test
    void theLatestFinalWindowIsClampedToTheRange() {
        java.time.Instant from = java.time.Instant.parse("2026-01-01T00:00:00Z");
        java.time.Instant to = java.time.Instant.parse("2026-01-01T01:00:00Z");
        assertThat(Freshness.clamp(null, from, to)).isNull();
        assertThat(Freshness.clamp(from.minusSeconds(60), from, to)).isEqualTo(from);
        assertThat(Freshness.clamp(to.plusSeconds(3600), from, to)).isEqualTo(to);
        assertThat(Freshness.clamp(from.plusSeconds(60), from, to)).isEqualTo(from.plusSeconds(60));
        assertThat(Freshness.snapshotXmax("100:105:101,103")).isEqualTo(105);
    }

    @Test
    void gzipIsMadeOnceAndWeighed() throws Exception {
        AnswerCache cache = new AnswerCache();
        java.lang.reflect.Field entries = AnswerCache.class.getDeclaredField("entries");
        entries.setAccessible(true);
        Cache<AnswerCache.Key, AnswerCache.Entry> store = AnswerCache.build(1_000_000, Runnable::run);
        entries.set(cache, store);
        AnswerCache.Key k = key(1, Map.of());
        byte[] body = "{\"points\":[]}".repeat(100).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        AnswerCache.Entry e = new AnswerCache.Entry(body, null, AnswerCache.etag(body), null, new java.util.concurrent.atomic.AtomicReference<>(),
                body.length + k.weight() + AnswerCache.ENTRY_OVERHEAD_BYTES);
        store.put(k, e);
        byte[] gz = cache.gzip(k, e);
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
        AnswerCache.Entry kept = store.getIfPresent(k);
        assertThat(kept.gzip()).isSameAs(gz);
        assertThat(kept.weight()).isEqualTo(e.weight() + gz.length);
        assertThat(cache.gzip(k, kept)).isSameAs(gz);
    }

    private static AnswerCache.Entry answer(String text) {
        byte[] body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return new AnswerCache.Entry(body, null, AnswerCache.etag(body), null, new java.util.concurrent.atomic.AtomicReference<>(), 0);
    }

    /** Starts a request's thread and waits until it blocks (on the running computation or the one it shares). */
    private static Thread blockedRequest(Runnable request) throws InterruptedException {
        Thread t = new Thread(request);
        t.start();
        while (t.getState() != Thread.State.WAITING && t.isAlive()) {
            Thread.sleep(1);
        }
        return t;
    }

    @Test
    void requestsArrivingDuringAComputationShareTheNextOneWhichStartsAfterIt() throws Exception {
        AnswerCache cache = new AnswerCache();
        AnswerCache.Key k = key(1, Map.of());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger computations = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostAtOnce = new java.util.concurrent.atomic.AtomicInteger();
        AnswerCache.Computation compute = () -> {
            int n = computations.incrementAndGet();
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (n == 1) {
                    release.await();
                }
                return answer("answer " + n);
            } catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            } finally {
                running.decrementAndGet();
            }
        };
        AnswerCache.Entry[] got = new AnswerCache.Entry[3];
        Thread first = blockedRequest(() -> got[0] = run(cache, k, compute));
        Thread second = blockedRequest(() -> got[1] = run(cache, k, compute));
        Thread third = blockedRequest(() -> got[2] = run(cache, k, compute));
        assertThat(computations).as("the two later requests wait; neither computes beside the first").hasValue(1);
        release.countDown();
        for (Thread t : List.of(first, second, third)) {
            t.join(10_000);
        }
        assertThat(computations).hasValue(2);
        assertThat(mostAtOnce).as("the next computation starts only once the running one ended").hasValue(1);
        assertThat(new String(got[0].body())).isEqualTo("answer 1");
        assertThat(new String(got[1].body())).as("computed after it arrived").isEqualTo("answer 2");
        assertThat(got[2]).as("the third shares the second's computation").isSameAs(got[1]);
        // with nothing running, the next request computes at once
        assertThat(new String(run(cache, k, compute).body())).isEqualTo("answer 3");
    }

    @Test
    void aSharedComputationsFailureReachesEveryRequestThatWaitedForIt() throws Exception {
        AnswerCache cache = new AnswerCache();
        AnswerCache.Key k = key(2, Map.of());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger computations = new java.util.concurrent.atomic.AtomicInteger();
        AnswerCache.Computation compute = () -> {
            if (computations.incrementAndGet() == 1) {
                try {
                    release.await();
                } catch (InterruptedException ex) {
                    throw new IllegalStateException(ex);
                }
                return answer("fine");
            }
            throw new java.sql.SQLException("the store went away", "08006");
        };
        Throwable[] failed = new Throwable[2];
        Thread first = blockedRequest(() -> run(cache, k, compute));
        Thread second = blockedRequest(() -> failed[0] = failure(cache, k, compute));
        Thread third = blockedRequest(() -> failed[1] = failure(cache, k, compute));
        release.countDown();
        for (Thread t : List.of(first, second, third)) {
            t.join(10_000);
        }
        assertThat(computations).hasValue(2);
        assertThat(failed[0]).isInstanceOf(java.sql.SQLException.class).hasMessage("the store went away");
        assertThat(failed[1]).isSameAs(failed[0]);
    }

    private static AnswerCache.Entry run(AnswerCache cache, AnswerCache.Key k, AnswerCache.Computation compute) {
        try {
            return cache.computeOnce(k, compute);
        } catch (java.sql.SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Throwable failure(AnswerCache cache, AnswerCache.Key k, AnswerCache.Computation compute) {
        try {
            cache.computeOnce(k, compute);
            return null;
        } catch (java.sql.SQLException | RuntimeException ex) {
            return ex;
        }
    }
}
