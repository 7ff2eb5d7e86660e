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
}
