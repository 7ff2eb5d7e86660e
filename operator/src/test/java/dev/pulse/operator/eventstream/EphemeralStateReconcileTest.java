package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.InstalledPlatform;
import dev.pulse.testsupport.ConflictRetry;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * A stateful pipeline whose state would not outlive its pods is refused (EphemeralState), unless
 * its template allows it. The operator here has no state storage of its own (chart values
 * pipelines.state unset), so the templates' directories hold; the templates are
 * src/test/resources/pipeline-templates/.
 */
@QuarkusTest
@TestProfile(EphemeralStateReconcileTest.TemplatesOnly.class)
@WithKubernetesTestServer(crud = true, setup = InstalledPlatform.class)
class EphemeralStateReconcileTest {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String PIPELINE = "shop-events-pipeline";

    /** The test templates, and no state storage over them. */
    public static class TemplatesOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pulse.templates.directory", Path.of("src/test/resources/pipeline-templates").toAbsolutePath().toString(),
                    // empty: unset, as with the chart's default values
                    "pulse.flink.state.checkpoints-dir", "",
                    "pulse.flink.state.savepoints-dir", "");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void stateOnNoVolumeIsRefusedUntilItIsDurableAndARunningPipelineIsLeftAsItIs() {
        String ns = namespace();
        // the Metric first: the stream's first reconcile already sees a stateful pipeline
        create(ns, Metric.class, PipelineReconcileTest.METRIC);
        eventually().until(() -> reason(get(ns, Metric.class, "big-orders").orElseThrow().getStatus(), Condition.VALID),
                r -> "StreamNotFound".equals(r));
        create(ns, EventStream.class, stream("on-local-disk"));

        EventStream refused = eventually().until(() -> get(ns, EventStream.class, "shop-events").orElseThrow(),
                s -> "EphemeralState".equals(reason(s.getStatus(), Condition.READY)));
        Condition ready = refused.getStatus().condition(Condition.READY).orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getMessage()).contains("pipeline " + PIPELINE)
                .contains("state.checkpoints.dir 'file:///tmp/pulse-state/checkpoints'")
                .contains("pipelines.state.checkpointsDir")
                .contains("pulse.dev/ephemeral-state: \"allowed\"")
                .contains("template 'on-local-disk'");
        assertThat(refused.getStatus().condition(Condition.VALID).orElseThrow().getStatus()).isEqualTo("True");
        Metric metric = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> "EphemeralState".equals(reason(m.getStatus(), Condition.READY)));
        assertThat(metric.getStatus().condition(Condition.READY).orElseThrow().getMessage()).isEqualTo(ready.getMessage());
        assertThat(metric.getStatus().condition(Condition.VALID).orElseThrow().getStatus()).isEqualTo("True");
        Event event = eventually().until(() -> warnings(ns, "EphemeralState"), l -> !l.isEmpty()).get(0);
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("EventStream");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("shop-events");
        assertThat(event.getMessage()).isEqualTo(ready.getMessage());
        // the reconcile that refused it is the one that would have created it
        assertThat(client.resources(FlinkDeployment.class).inNamespace(ns).list().getItems()).isEmpty();

        // durable directories: the pipeline is deployed, the refusal is gone
        edit(ns, "shop-events", "on-object-storage");
        FlinkDeployment fd = eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE), Optional::isPresent).orElseThrow();
        assertThat(fd.getSpec().getFlinkConfiguration()).containsEntry("state.checkpoints.dir", "s3://pulse-test/checkpoints");
        eventually().until(() -> reason(get(ns, EventStream.class, "shop-events").orElseThrow().getStatus(), Condition.READY),
                r -> r != null && !"EphemeralState".equals(r));
        eventually().until(() -> reason(get(ns, Metric.class, "big-orders").orElseThrow().getStatus(), Condition.READY),
                r -> r != null && !"EphemeralState".equals(r));

        // back to a local path: refused again, and the FlinkDeployment that runs is not touched
        String before = get(ns, FlinkDeployment.class, PIPELINE).orElseThrow().getMetadata().getResourceVersion();
        edit(ns, "shop-events", "on-local-disk");
        eventually().until(() -> get(ns, EventStream.class, "shop-events").orElseThrow(),
                s -> "EphemeralState".equals(reason(s.getStatus(), Condition.READY))
                        && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration()));
        FlinkDeployment after = get(ns, FlinkDeployment.class, PIPELINE).orElseThrow();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(after.getSpec().getFlinkConfiguration()).containsEntry("state.checkpoints.dir", "s3://pulse-test/checkpoints");
    }

    @Test
    void aTemplateThatAllowsEphemeralStateIsDeployedWithItsLocalDirectories() {
        String ns = namespace();
        create(ns, Metric.class, PipelineReconcileTest.METRIC);
        create(ns, EventStream.class, stream("on-local-disk-allowed"));
        FlinkDeployment fd = eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE), Optional::isPresent).orElseThrow();
        assertThat(fd.getSpec().getFlinkConfiguration()).containsEntry("state.checkpoints.dir", "file:///tmp/pulse-state/checkpoints");
        assertThat(fd.getMetadata().getAnnotations()).containsEntry("pulse.dev/ephemeral-state", "allowed");
        Metric metric = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> m.getStatus() != null && m.getStatus().getPipeline() != null && m.getStatus().getPipeline().getAnalysisId() != null);
        assertThat(reason(metric.getStatus(), Condition.READY)).isNotEqualTo("EphemeralState");
        assertThat(warnings(ns, "EphemeralState")).isEmpty();
    }

    // --- helpers

    private static String stream(String template) {
        return PipelineReconcileTest.STREAM.replace("pipeline: {parallelism: 3}", "pipeline: {parallelism: 3, template: " + template + "}");
    }

    private String namespace() {
        String ns = "ephemeral" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        return ns;
    }

    private <T extends HasMetadata> void create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
    }

    private <T extends HasMetadata> Optional<T> get(String ns, Class<T> type, String name) {
        return Optional.ofNullable(client.resources(type).inNamespace(ns).withName(name).get());
    }

    private void edit(String ns, String stream, String template) {
        ConflictRetry.edit(client.resources(EventStream.class).inNamespace(ns).withName(stream),
                s -> s.getSpec().getPipeline().setTemplate(template));
    }

    private List<Event> warnings(String ns, String reason) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason())).toList();
    }

    private static String reason(PulseStatus status, String type) {
        return status == null ? null : status.condition(type).map(Condition::getReason).orElse(null);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
    }
}
