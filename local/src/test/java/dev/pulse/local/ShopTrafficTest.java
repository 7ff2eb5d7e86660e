package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.local.ShopSessions.Kind;
import dev.pulse.local.ShopSessions.ShopRecord;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The synthetic shop traffic: valid records in the shape of samples/01, the share of late and malformed ones, the rate. */
class ShopTrafficTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = 1_767_225_600_000L + 15 * 3_600_000L;
    private static final Set<String> EVENTS = Set.of("product_view", "add_to_cart", "checkout_start", "purchase", "signup", "cart_cleared");

    @Test
    void recordsAreShopEventsWithSomeLateAndSomeMalformed() throws Exception {
        ShopSessions sessions = new ShopSessions(42, () -> NOW);
        int n = 40_000;
        Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
        Map<String, Integer> events = new HashMap<>();
        int malformedNotParsingAsEvent = 0;
        for (int i = 0; i < n; i++) {
            ShopRecord r = sessions.next();
            kinds.merge(r.kind(), 1, Integer::sum);
            if (r.kind() == Kind.MALFORMED) {
                if (!validEvent(r.json())) {
                    malformedNotParsingAsEvent++;
                }
                continue;
            }
            JsonNode e = JSON.readTree(r.json());
            assertThat(validEvent(r.json())).as(r.json()).isTrue();
            assertThat(EVENTS).contains(e.get("event").asText());
            assertThat(e.get("user_id").asText()).isEqualTo(r.key());
            assertThat(ShopSessions.PLATFORMS).contains(e.get("platform").asText());
            assertThat(ShopSessions.COUNTRIES).contains(e.get("country").asText());
            long ts = e.get("ts").asLong();
            if (r.kind() == Kind.LATE) {
                assertThat(ts).isBetween(NOW - 600_000, NOW - 120_000);
            } else {
                assertThat(ts).isBetween(NOW - 2_000, NOW);
            }
            if (e.get("event").asText().equals("purchase")) {
                assertThat(e.get("amount").asDouble()).isPositive();
                assertThat(e.get("quantity").asLong()).isPositive();
            }
            events.merge(e.get("event").asText(), 1, Integer::sum);
        }
        assertThat(kinds.get(Kind.MALFORMED) / (double) n).isBetween(0.003, 0.008);
        assertThat(malformedNotParsingAsEvent).isEqualTo(kinds.get(Kind.MALFORMED));
        assertThat(kinds.get(Kind.LATE) / (double) n).isBetween(0.007, 0.014);
        assertThat(events.keySet()).containsExactlyInAnyOrderElementsOf(EVENTS);
        // a funnel shape: fewer at each step
        assertThat(events.get("product_view")).isGreaterThan(events.get("add_to_cart"));
        assertThat(events.get("add_to_cart")).isGreaterThan(events.get("checkout_start"));
        assertThat(events.get("checkout_start")).isGreaterThan(events.get("purchase"));
        assertThat(events.get("signup")).isLessThan(events.get("purchase"));
    }

    /** Whether a record is a valid event of samples/01 (ts epochMillis, typed fields). */
    private static boolean validEvent(String json) {
        try {
            JsonNode e = JSON.readTree(json);
            if (e == null || !e.isObject() || !e.path("event").isTextual() || !e.path("ts").isIntegralNumber()) {
                return false;
            }
            if (e.has("amount") && !e.get("amount").isNumber()) {
                return false;
            }
            return !e.has("quantity") || e.get("quantity").isIntegralNumber();
        } catch (Exception ex) {
            return false;
        }
    }

    @Test
    void trafficKeepsItsRate() throws Exception {
        AtomicLong count = new AtomicLong();
        List<String> sample = new ArrayList<>();
        try (ShopTraffic traffic = new ShopTraffic(300, false, 7, System::currentTimeMillis, r -> {
            if (count.incrementAndGet() <= 5) {
                sample.add(r.json());
            }
        }, null).start()) {
            Thread.sleep(2_000);
        }
        assertThat(count.get()).isBetween(500L, 700L);
        assertThat(sample).hasSize(5);
    }

    @Test
    void dailyRhythmAveragesTheRate() {
        double sum = 0;
        for (int m = 0; m < 24 * 60; m++) {
            sum += ShopTraffic.rhythm(m * 60_000L);
        }
        assertThat(sum / (24 * 60)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(ShopTraffic.rhythm(4 * 3_600_000L)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(ShopTraffic.rhythm(16 * 3_600_000L)).isCloseTo(1.5, org.assertj.core.data.Offset.offset(0.01));
    }
}
