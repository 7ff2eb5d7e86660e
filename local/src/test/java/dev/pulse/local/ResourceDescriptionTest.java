package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code pulse describe}'s lag and freshness: an empty figure says why, a figure says its age and whether it is stale. */
class ResourceDescriptionTest {
    private static final Instant NOW = Instant.parse("2026-03-01T14:33:19Z");

    private static String describe(Map<String, Object> status) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("pulse.dev/v1alpha1");
        r.setKind("Metric");
        r.setMetadata(new ObjectMetaBuilder().withName("orders").withNamespace("growth").withGeneration(1L).build());
        r.setAdditionalProperty("spec", Map.of("stream", "shop-events"));
        r.setAdditionalProperty("status", status);
        StringWriter text = new StringWriter();
        try (KubernetesClient client = new KubernetesClientBuilder().build(); PrintWriter out = new PrintWriter(text)) {
            ResourceDescription.describe(client, r, List.of(), out, NOW);
        }
        return text.toString();
    }

    @Test
    void theDeletionPolicyAndWhatDeletingDoesAreShown() {
        String out = describe(Map.of("observedGeneration", 1));
        assertThat(out).contains("Deletion:     Retain (default): deleting it retires its serving tables");

        GenericKubernetesResource stream = new GenericKubernetesResource();
        stream.setKind("EventStream");
        stream.setMetadata(new ObjectMetaBuilder().withName("shop-events").build());
        stream.setAdditionalProperty("spec", Map.of("deletionPolicy", "Delete"));
        assertThat(ResourceDescription.deletion(stream)).isEqualTo("Delete: deleting it deletes the KafkaTopics Pulse created, with their records");
    }

    @Test
    void anAnalysisWithNoFinalWindowSaysSo() {
        String out = describe(Map.of("observedGeneration", 1, "freshness", Map.of()));
        assertThat(out).contains("  Freshness: --- (no final window yet)").doesNotContain("{}");
    }

    @Test
    void aStreamListsEachPipelinesLagWithItsAge() {
        String out = describe(Map.of("observedGeneration", 1, "pipelineLags", List.of(
                Map.of("pipeline", "checkout-funnel", "consumerGroup", "pulse.growth.shop-events.checkout-funnel", "records", 30, "seconds", 2,
                        "asOf", "2026-03-01T14:31:19Z", "stale", true),
                Map.of("pipeline", "shop-events-pipeline", "consumerGroup", "pulse.growth.shop-events", "records", 1200, "seconds", 14,
                        "asOf", "2026-03-01T14:33:04Z"))));
        // 14:33:19 - 14:31:19 = 120 s; 14:33:19 - 14:33:04 = 15 s
        assertThat(out).contains("  Pipeline lags:\n"
                + "    checkout-funnel (group pulse.growth.shop-events.checkout-funnel): 30 rec/2s (as of 14:31:19, 2m ago, stale: its probe failed (see condition Probing))\n"
                + "    shop-events-pipeline (group pulse.growth.shop-events): 1200 rec/14s (as of 14:33:04, 15s ago)\n");
    }

    @Test
    void eachFigureSaysItsAgeAndWhetherItIsStale() {
        String out = describe(Map.of("observedGeneration", 1,
                "lag", Map.of("records", 12, "seconds", 3, "asOf", "2026-03-01T14:32:44Z"),
                "freshness", Map.of("secondsBehind", 95, "asOf", "2026-03-01T14:30:19Z", "stale", true)));
        // 14:33:19 - 14:32:44 = 35 s; 14:33:19 - 14:30:19 = 180 s
        assertThat(out).contains("    (as of 14:32:44, 35s ago)\n");
        assertThat(out).contains("    (as of 14:30:19, 3m ago, stale: its probe failed (see condition Probing))");
    }
}
