package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.testsupport.Checkout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applying a directory of definitions and following its edits and deletions. */
class DefinitionsDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void savingAndDeletingFilesWorksLikeKubectlApply() throws Exception {
        Files.copy(Checkout.root().resolve("samples").resolve("01-eventstream-shop-events.yaml"), dir.resolve("01-eventstream-shop-events.yaml"));
        Files.copy(Checkout.root().resolve("samples").resolve("02-metric-orders-per-minute.yaml"), dir.resolve("02-metric-orders-per-minute.yaml"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (ApiServer api = ApiServer.start(Ports.free(), Checkout.root().resolve("crds"));
                DefinitionsDirectory defs = new DefinitionsDirectory(api.client(), dir, "default", new Progress(new PrintStream(log, true)))) {
            assertThat(defs.applyAll()).isEqualTo(2);
            var metrics = api.client().genericKubernetesResources(PulseKinds.METRIC.context()).inNamespace("default");
            GenericKubernetesResource m = metrics.withName("orders-per-minute").get();
            assertThat(m).isNotNull();
            assertThat(m.getMetadata().getGeneration()).isEqualTo(1L);
            assertThat(api.client().genericKubernetesResources(PulseKinds.EVENT_STREAM.context()).inNamespace("default")
                    .withName("shop-events").get()).isNotNull();

            // applying again changes nothing
            assertThat(defs.applyAll()).isEqualTo(2);
            assertThat(metrics.withName("orders-per-minute").get().getMetadata().getGeneration()).isEqualTo(1L);

            defs.watch();
            Path metricFile = dir.resolve("02-metric-orders-per-minute.yaml");
            Files.writeString(metricFile, Files.readString(metricFile).replace("dimensions: [platform]", "dimensions: [platform, country]"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                GenericKubernetesResource now = metrics.withName("orders-per-minute").get();
                return now.getMetadata().getGeneration() == 2L;
            });
            assertThat(PulseKinds.path(metrics.withName("orders-per-minute").get().getAdditionalProperties().get("spec"), "dimensions"))
                    .asList().containsExactly("platform", "country");

            // a new file creates, a deleted file deletes
            Files.writeString(dir.resolve("03-metric-views.yaml"), """
                    apiVersion: pulse.dev/v1alpha1
                    kind: Metric
                    metadata: {name: views}
                    spec:
                      stream: shop-events
                      events: [product_view]
                      aggregation: {type: count}
                      window: {type: tumbling, size: 1m}
                    """);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.withName("views").get() != null);
            Files.delete(metricFile);
            await().atMost(Duration.ofSeconds(30)).until(() -> metrics.withName("orders-per-minute").get() == null);
            assertThat(metrics.withName("views").get()).isNotNull();

            // a broken file is reported and changes nothing
            Files.writeString(dir.resolve("04-broken.yaml"), "kind: [not yaml");
            Thread.sleep(1500);
            assertThat(log.toString()).contains("04-broken.yaml: cannot read it");
        }
    }
}
