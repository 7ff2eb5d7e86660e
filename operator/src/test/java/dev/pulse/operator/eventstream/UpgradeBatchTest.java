package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpgradeBatchTest {
    private static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events, namespace: growth}
            spec:
              kafka: {topic: shop-events}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts}
              fields:
                - {name: platform, type: string}
            ---
            """;

    private static String metric(String name, String size) {
        return """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: %s, namespace: growth}
                spec:
                  stream: shop-events
                  aggregation: {type: count}
                  window: {type: tumbling, size: %s}
                ---
                """.formatted(name, size);
    }

    private static List<PipelinePlan> plans(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (String doc : yaml.split("---\n")) {
            if (!doc.isBlank()) {
                resources.add(doc.contains("kind: Metric") ? Serialization.unmarshal(doc, Metric.class) : Serialization.unmarshal(doc, EventStream.class));
            }
        }
        var c = new PlanCompiler().compile(resources);
        assertThat(c.problems()).isEmpty();
        assertThat(c.plans()).singleElement().satisfies(p -> assertThat(p.analyses()).isNotEmpty());
        return c.plans();
    }

    /** A clock the test moves. */
    private static final class Hand extends Clock {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void changesWithinTheWindowOfEachOtherAreRolledOutOnceWhenQuiet() {
        Hand clock = new Hand();
        UpgradeBatch batch = new UpgradeBatch(Duration.ofSeconds(10), clock);
        List<PipelinePlan> deployed = plans(STREAM + metric("orders", "1m"));
        List<PipelinePlan> one = plans(STREAM + metric("orders", "5m"));
        List<PipelinePlan> two = plans(STREAM + metric("orders", "5m") + metric("views", "1m"));

        // the first plan of a stream is deployed at once; an unchanged plan never waits
        assertThat(batch.holdFor("growth/shop-events", List.of(), deployed)).isZero();
        assertThat(batch.holdFor("growth/shop-events", deployed, deployed)).isZero();

        // a change waits the whole window; another change 6 s later restarts it
        assertThat(batch.holdFor("growth/shop-events", deployed, one)).isEqualTo(Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(6);
        assertThat(batch.holdFor("growth/shop-events", deployed, one)).isEqualTo(Duration.ofSeconds(4));
        assertThat(batch.holdFor("growth/shop-events", deployed, two)).isEqualTo(Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(10);
        assertThat(batch.holdFor("growth/shop-events", deployed, two)).isZero();

        // pins of the deployed plan are not a change
        List<PipelinePlan> pinned = two.stream().map(p -> p.pinned(1L, Map.of(0, 5L), Map.of())).toList();
        assertThat(batch.holdFor("growth/shop-events", pinned, two)).isZero();
    }
}
