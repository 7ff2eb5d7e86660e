package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A cluster with neither Strimzi nor the Flink operator: clear conditions, no crashed informers. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class MissingPlatformTest {
    @Inject
    KubernetesClient client;

    @Test
    void missingOperatorsAreReportedNotCrashedOn() {
        String ns = "bare";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        create(ns, EventStream.class, PipelineReconcileTest.STREAM);
        create(ns, Metric.class, PipelineReconcileTest.METRIC);

        EventStream stream = await().atMost(Duration.ofSeconds(20)).until(
                () -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                s -> s.getStatus() != null && s.getStatus().condition(Condition.READY).isPresent());
        assertThat(stream.getStatus().condition(Condition.READY).orElseThrow().getReason()).isEqualTo("StrimziNotInstalled");
        assertThat(stream.getStatus().condition(Condition.PIPELINE_RUNNING).orElseThrow().getReason()).isEqualTo("FlinkOperatorNotInstalled");
        // what needs no other operator is still there: the plan
        assertThat(client.configMaps().inNamespace(ns).withName("shop-events-pipeline-plan").get()).isNotNull();

        Metric metric = await().atMost(Duration.ofSeconds(20)).until(
                () -> client.resources(Metric.class).inNamespace(ns).withName("big-orders").get(),
                m -> m.getStatus() != null && m.getStatus().condition(Condition.READY).isPresent());
        assertThat(metric.getStatus().condition(Condition.VALID).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(metric.getStatus().condition(Condition.READY).orElseThrow().getReason()).isEqualTo("FlinkOperatorNotInstalled");
    }

    private <T extends HasMetadata> void create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
    }
}
