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
}
