package dev.pulse.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.FlinkOperatorStatus;
import dev.pulse.operator.InstalledPlatform;
import dev.pulse.render.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;

/**
 * A watch event larger than a WebSocket frame does not stop the operator's watches. The
 * in-memory API splits a message over 64 KiB into several frames (a plan ConfigMap of about 70
 * Metrics is that large); with fabric8 7.3's Vert.x client such an event, after a watch's first,
 * stalled the watch for good, so the analyses never saw a later plan and stayed PlanPending
 * (docs/benchmarks.md, "Operator at scale").
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstalledPlatform.class)
class LargeWatchEventTest {
    /** More than one 64 KiB frame, as the plan of a stream with about 110 Metrics. */
    private static final int LARGE = 100 * 1024;

    @Inject
    KubernetesClient client;

    @Test
    void analysesSeeThePlanAfterALargePlanEvent() {
        String ns = "large-watch-event";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        // another stream's large plan, created and then changed: two events of several frames on every plan watch
        ConfigMap large = client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace(ns).withName("other-pipeline-plan")
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.ROLE, Labels.ROLE_PLAN, Labels.STREAM, "other"))
                .endMetadata().withData(Map.of("plan.json", "x".repeat(LARGE))).build()).create();
        large.setData(Map.of("plan.json", "y".repeat(LARGE)));
        client.resource(large).update();

        create(ns, EventStream.class, """
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: orders}
                spec:
                  kafka: {cluster: analytics, topic: orders, partitions: 2}
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts, format: epochMillis}
                  fields:
                    - {name: platform, type: string}
                """);
        create(ns, Metric.class, """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: purchases}
                spec:
                  stream: orders
                  events: [purchase]
                  aggregation: {type: count}
                  dimensions: [platform]
                  window: {type: tumbling, size: 1m}
                  backfill: {from: none}
                """);

        // the plan and the pipeline, then the Flink operator runs it; nothing is edited after
        String id = eventually().until(() -> Optional.ofNullable(client.configMaps().inNamespace(ns).withName("orders-pipeline-plan").get())
                .flatMap(cm -> PlanJson.read(cm.getData().get("plan.json")).analysis(AnalysisKind.Metric, "purchases")), Optional::isPresent)
                .orElseThrow().id();
        FlinkDeployment fd = eventually().until(() -> client.resources(FlinkDeployment.class).inNamespace(ns).withName("orders-pipeline").get(),
                f -> f != null);
        new FlinkOperatorStatus(client).reconciledEarlier(fd, "STABLE", "RUNNING");

        Metric ready = eventually().until(() -> client.resources(Metric.class).inNamespace(ns).withName("purchases").get(),
                m -> m.getStatus() != null && m.getStatus().condition(Condition.READY).map(c -> "True".equals(c.getStatus())).orElse(false));
        assertThat(ready.getStatus().getPipeline().getAnalysisId()).isEqualTo(id);
    }

    private <T extends HasMetadata> void create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
    }

    private static org.awaitility.core.ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100));
    }
}
