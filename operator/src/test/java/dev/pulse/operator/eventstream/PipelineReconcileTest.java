package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.FlinkOperatorStatus;
import dev.pulse.operator.InstalledPlatform;
import dev.pulse.render.Labels;
import dev.pulse.testsupport.ConflictRetry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The reconcilers against the in-memory Kubernetes API: each test in a namespace of its own. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = InstalledPlatform.class)
class PipelineReconcileTest {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final String PIPELINE = "shop-events-pipeline";
    private static final String PLAN = "shop-events-pipeline-plan";

    @Inject
    KubernetesClient client;

    static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {cluster: analytics, topic: shop-events, partitions: 6, replicas: 3, retention: 7d}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields:
                - {name: platform, type: string}
                - {name: country, type: string}
                - {name: amount, type: double}
              pipeline: {parallelism: 3}
            """;

    static final String METRIC = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: big-orders}
            spec:
              stream: shop-events
              events: [purchase]
              where:
                - {field: amount, operator: Gt, value: "100"}
              aggregation: {type: count}
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
            """;

    static final String FUNNEL = """
            apiVersion: pulse.dev/v1alpha1
            kind: Funnel
            metadata: {name: purchase-funnel}
            spec:
              stream: shop-events
              steps:
                - {name: viewed, events: [product_view]}
                - {name: purchased, events: [purchase]}
              conversionWindow: 30m
              window: {type: tumbling, size: 1h}
            """;

    @Test
    void streamAndAnalysesBecomeTopicPlanAndPipeline() {
        String ns = namespace();
        create(ns, EventStream.class, STREAM);
        Metric metric = create(ns, Metric.class, METRIC);
        create(ns, Funnel.class, FUNNEL);

        KafkaTopic topic = eventually().until(() -> get(ns, KafkaTopic.class, "shop-events"), Optional::isPresent).orElseThrow();
        assertThat(topic.getMetadata().getLabels()).containsEntry(Labels.STRIMZI_CLUSTER, "analytics")
                .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR).containsEntry(Labels.STREAM, "shop-events");
        assertThat(topic.getSpec().getPartitions()).isEqualTo(6);
        assertThat(topic.getSpec().getConfig()).containsEntry("retention.ms", 604_800_000);
        // whose it is, by label; no owner reference: only the stream's deletionPolicy decides what happens to it
        assertThat(topic.getMetadata().getOwnerReferences()).isNullOrEmpty();
        // its dead-letter topic, created with it, like it
        KafkaTopic dlq = eventually().until(() -> get(ns, KafkaTopic.class, "shop-events.dlq"), Optional::isPresent).orElseThrow();
        assertThat(dlq.getSpec().getTopicName()).isEqualTo("shop-events.dlq");
        assertThat(dlq.getMetadata().getLabels()).containsEntry(Labels.STRIMZI_CLUSTER, "analytics")
                .containsEntry(Labels.ROLE, Labels.ROLE_DEAD_LETTER_TOPIC).containsEntry(Labels.STREAM, "shop-events");
        assertThat(dlq.getSpec().getPartitions()).isEqualTo(6);
        assertThat(dlq.getSpec().getReplicas()).isEqualTo(3);
        assertThat(dlq.getSpec().getConfig()).containsEntry("retention.ms", 604_800_000).containsEntry("message.timestamp.type", "LogAppendTime");
        assertThat(dlq.getMetadata().getOwnerReferences()).isNullOrEmpty();

        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analyses().size() == 2).orElseThrow();
        String metricId = plan.analysis(AnalysisKind.Metric, "big-orders").orElseThrow().id();
        FlinkDeployment fd = eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE), Optional::isPresent).orElseThrow();
        assertThat(fd.getMetadata().getAnnotations()).containsEntry(Labels.PLAN_HASH, plan.jobHash());
        assertThat(fd.getSpec().getJob().getParallelism()).isEqualTo(3);
        assertThat(fd.getSpec().getJob().getState()).isEqualTo(JobState.RUNNING);
        assertThat(fd.getSpec().getJob().getArgs()).containsExactly("--plan", "/opt/pulse/plan/plan.json",
                "--dead-letter-topic", "shop-events.dlq");
        assertThat(fd.getSpec().getPodTemplate().getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getConfigMap().getName()).isEqualTo(PLAN));
        assertThat(fd.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);

        // one Grafana dashboard ConfigMap per analysis, owned by the stream
        List<ConfigMap> dashboards = eventually().until(() -> client.resources(ConfigMap.class).inNamespace(ns)
                .withLabel(Labels.ROLE, Labels.ROLE_DASHBOARD).list().getItems(), l -> l.size() == 2);
        assertThat(dashboards).allSatisfy(cm -> {
            assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1").containsEntry(Labels.STREAM, "shop-events");
            assertThat(cm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getKind()).isEqualTo("EventStream"));
        });
        assertThat(dashboards).anySatisfy(cm -> assertThat(cm.getData()).containsKey(metricId + ".json"));

        Metric reconciled = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> condition(m.getStatus(), Condition.VALID).map(c -> c.getStatus().equals("True")).orElse(false)
                        && m.getStatus().getPipeline() != null && metricId.equals(m.getStatus().getPipeline().getAnalysisId()));
        assertThat(reconciled.getStatus().getObservedGeneration()).isEqualTo(metric.getMetadata().getGeneration());
        assertThat(reconciled.getStatus().getPipeline().getFlinkDeployment()).isEqualTo(PIPELINE);
        assertThat(condition(reconciled.getStatus(), Condition.PIPELINE_RUNNING).orElseThrow().getReason()).isEqualTo("PipelinePending");
        assertThat(condition(reconciled.getStatus(), Condition.READY).orElseThrow().getStatus()).isEqualTo("False");
        EventStream stream = eventually().until(() -> get(ns, EventStream.class, "shop-events").orElseThrow(),
                s -> condition(s.getStatus(), Condition.VALID).isPresent());
        assertThat(condition(stream.getStatus(), Condition.VALID).orElseThrow().getStatus()).isEqualTo("True");
    }

    @Test
    void updatesRollThePlanAndInvalidUpdatesChangeNothing() {
        String ns = namespace();
        create(ns, EventStream.class, STREAM);
        create(ns, Metric.class, METRIC);
        PipelinePlan first = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "big-orders").isPresent())
                .orElseThrow();
        eventually().until(() -> planHashOfPipeline(ns), h -> first.jobHash().equals(h));

        // a semantic change rolls the plan hash on the FlinkDeployment
        edit(ns, Metric.class, "big-orders", m -> m.getSpec().getWhere().get(0).setValue("200"));
        String second = eventually().until(() -> planHashOfPipeline(ns), h -> h != null && !h.equals(first.jobHash()));
        PipelinePlan secondPlan = plan(ns).orElseThrow();
        assertThat(secondPlan.jobHash()).isEqualTo(second);
        String validId = secondPlan.analysis(AnalysisKind.Metric, "big-orders").orElseThrow().id();

        // an invalid change: Valid=False naming the field, Ready=False, and nothing downstream moves
        edit(ns, Metric.class, "big-orders", m -> m.getSpec().getWhere().get(0).setField("no_such_field"));
        Metric invalid = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> condition(m.getStatus(), Condition.VALID).map(c -> c.getStatus().equals("False")).orElse(false));
        Condition valid = condition(invalid.getStatus(), Condition.VALID).orElseThrow();
        assertThat(valid.getReason()).isEqualTo("InvalidSpec");
        assertThat(valid.getMessage()).contains("spec.where[0].field");
        assertThat(condition(invalid.getStatus(), Condition.READY).orElseThrow())
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"))
                .satisfies(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
        assertThat(invalid.getStatus().getObservedGeneration()).isEqualTo(invalid.getMetadata().getGeneration());
        eventually().until(() -> client.v1().events().inNamespace(ns).list().getItems(),
                events -> events.stream().anyMatch(e -> "InvalidSpec".equals(e.getReason()) && "Warning".equals(e.getType())
                        && "big-orders".equals(e.getInvolvedObject().getName()) && e.getMessage().contains("spec.where[0].field")));
        // the stream reconciler has seen the change (its status says so) and kept the last valid version
        quietly(Duration.ofSeconds(2));
        assertThat(planHashOfPipeline(ns)).isEqualTo(second);
        assertThat(plan(ns).orElseThrow().analysis(AnalysisKind.Metric, "big-orders").orElseThrow().id()).isEqualTo(validId);

        // deleting the analysis takes it out of the plan
        client.resources(Metric.class).inNamespace(ns).withName("big-orders").delete();
        eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "big-orders").isEmpty());
        eventually().until(() -> planHashOfPipeline(ns), h -> h != null && !h.equals(second));
    }

    @Test
    void flinkStatusBecomesPipelineRunningAndReady() {
        String ns = namespace();
        create(ns, EventStream.class, STREAM);
        create(ns, Metric.class, METRIC);
        // the pipeline may first be deployed without the Metric: wait for the one whose plan holds it,
        // so no plan update of the operator's races the status written below
        PipelinePlan withMetric = eventually().until(() -> plan(ns),
                p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "big-orders").isPresent()).orElseThrow();
        eventually().until(() -> planHashOfPipeline(ns), h -> withMetric.jobHash().equals(h));
        FlinkDeployment fd = get(ns, FlinkDeployment.class, PIPELINE).orElseThrow();

        // the Flink operator has taken the spec but the job is not RUNNING yet: not Ready, and the reasons say so
        setFlinkStatus(fd, "DEPLOYED", "RECONCILING");
        Metric deploying = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> condition(m.getStatus(), Condition.PIPELINE_RUNNING).map(c -> "Deploying".equals(c.getReason())).orElse(false));
        assertThat(condition(deploying.getStatus(), Condition.READY).orElseThrow().getReason()).isEqualTo("PipelineNotRunning");

        setFlinkStatus(fd, "STABLE", "RUNNING");
        String afterStatus = get(ns, FlinkDeployment.class, PIPELINE).orElseThrow().getMetadata().getResourceVersion();
        Metric running = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> isTrue(m.getStatus(), Condition.READY));
        assertThat(condition(running.getStatus(), Condition.PIPELINE_RUNNING).orElseThrow().getReason()).isEqualTo("Running");
        assertThat(running.getStatus().getPipeline().getLifecycleState()).isEqualTo("STABLE");
        assertThat(running.getStatus().getPipeline().getJobState()).isEqualTo("RUNNING");
        assertThat(running.getStatus().getPipeline().getReconciledPlanHash()).isEqualTo(withMetric.jobHash());
        String since = condition(running.getStatus(), Condition.READY).orElseThrow().getLastTransitionTime();
        // the stream reconciled on the status change and found nothing to update
        assertThat(get(ns, FlinkDeployment.class, PIPELINE).orElseThrow().getMetadata().getResourceVersion()).isEqualTo(afterStatus);
        eventually().until(() -> get(ns, EventStream.class, "shop-events").orElseThrow(), s -> isTrue(s.getStatus(), Condition.READY));

        // a change the job executes (another emit interval): a new spec the Flink operator has not acted on yet,
        // while the old job still runs: not Ready until its observedGeneration and reconciled spec catch up
        edit(ns, Metric.class, "big-orders", m -> m.getSpec().setEmitEvery("10s"));
        FlinkDeployment upgraded = eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE).orElseThrow(),
                d -> d.getMetadata().getGeneration() > fd.getMetadata().getGeneration());
        Metric upgrading = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> condition(m.getStatus(), Condition.READY).map(c -> "PipelineNotRunning".equals(c.getReason())).orElse(false));
        assertThat(condition(upgrading.getStatus(), Condition.PIPELINE_RUNNING).orElseThrow().getReason()).isEqualTo("Upgrading");
        assertThat(condition(upgrading.getStatus(), Condition.READY).orElseThrow().getMessage()).startsWith("Upgrading: ");
        EventStream streamUpgrading = eventually().until(() -> get(ns, EventStream.class, "shop-events").orElseThrow(),
                s -> condition(s.getStatus(), Condition.READY).map(c -> "PipelineNotRunning".equals(c.getReason())).orElse(false));
        assertThat(condition(streamUpgrading.getStatus(), Condition.PIPELINE_RUNNING).orElseThrow().getMessage())
                .contains("has not reconciled generation " + upgraded.getMetadata().getGeneration());
        setFlinkStatus(upgraded, "STABLE", "RUNNING");
        eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(), m -> isTrue(m.getStatus(), Condition.READY));

        setFlinkStatus(get(ns, FlinkDeployment.class, PIPELINE).orElseThrow(), "FAILED", "FAILED");
        Metric failed = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> condition(m.getStatus(), Condition.PIPELINE_RUNNING).map(c -> "JobFailed".equals(c.getReason())).orElse(false));
        assertThat(condition(failed.getStatus(), Condition.READY).orElseThrow().getReason()).isEqualTo("PipelineFailed");
        assertThat(condition(failed.getStatus(), Condition.VALID).orElseThrow().getLastTransitionTime())
                .isEqualTo(condition(running.getStatus(), Condition.VALID).orElseThrow().getLastTransitionTime());
        assertThat(since).isNotNull();
    }

    @Test
    void suspendedStreamSuspendsTheJob() {
        String ns = namespace();
        create(ns, EventStream.class, STREAM.replace("pipeline: {parallelism: 3}", "pipeline: {parallelism: 3}\n  suspend: true"));
        FlinkDeployment fd = eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE), Optional::isPresent).orElseThrow();
        assertThat(fd.getSpec().getJob().getState()).isEqualTo(JobState.SUSPENDED);

        edit(ns, EventStream.class, "shop-events", s -> s.getSpec().setSuspend(false));
        eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE).orElseThrow().getSpec().getJob().getState(),
                s -> s == JobState.RUNNING);
    }

    @Test
    void invalidStreamCreatesNothing() {
        String ns = namespace();
        create(ns, EventStream.class, STREAM.replace("actorField: user_id", "actorField: event"));
        EventStream stream = eventually().until(() -> get(ns, EventStream.class, "shop-events").orElseThrow(),
                s -> condition(s.getStatus(), Condition.VALID).map(c -> c.getStatus().equals("False")).orElse(false));
        assertThat(condition(stream.getStatus(), Condition.READY).orElseThrow().getReason()).isEqualTo("InvalidSpec");
        assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.resources(FlinkDeployment.class).inNamespace(ns).list().getItems()).isEmpty();
        assertThat(client.configMaps().inNamespace(ns).list().getItems()).isEmpty();
    }

    @Test
    void outputTopicExternalStreamMissingStreamAndDedicatedPipelines() {
        String ns = namespace();
        create(ns, EventStream.class, STREAM.replace("retention: 7d}", "retention: 7d, external: true}"));
        create(ns, Metric.class, METRIC.replace("window: {type: tumbling, size: 1m}", "window: {type: tumbling, size: 1m}\n  outputTopic: true"));
        create(ns, Metric.class, METRIC.replace("big-orders", "orphan").replace("stream: shop-events", "stream: no-such-stream"));
        create(ns, Funnel.class, FUNNEL + "  pipeline: {isolation: dedicated}\n");

        KafkaTopic results = eventually().until(() -> get(ns, KafkaTopic.class, ns + ".big-orders.results"), Optional::isPresent).orElseThrow();
        assertThat(results.getSpec().getTopicName()).isEqualTo(ns + ".big-orders.results");
        assertThat(results.getMetadata().getLabels()).containsEntry(Labels.METRIC, "big-orders");
        assertThat(results.getMetadata().getOwnerReferences()).isNullOrEmpty();
        // Strimzi refuses it: the Metric's TopicReady says so, with Strimzi's reason and message
        results.setStatus(new io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder().withObservedGeneration(results.getMetadata().getGeneration())
                .withConditions(new io.strimzi.api.kafka.model.common.ConditionBuilder().withType("Ready").withStatus("False")
                        .withReason("KafkaError").withMessage("replication factor 3 is larger than the 1 brokers").build()).build());
        client.resource(results).updateStatus();
        Metric refused = eventually().until(() -> get(ns, Metric.class, "big-orders").orElseThrow(),
                m -> condition(m.getStatus(), Condition.TOPIC_READY).map(c -> "KafkaError".equals(c.getReason())).orElse(false));
        assertThat(condition(refused.getStatus(), Condition.TOPIC_READY).orElseThrow().getMessage())
                .isEqualTo("KafkaTopic " + ns + ".big-orders.results is not Ready: replication factor 3 is larger than the 1 brokers");
        Metric orphan = eventually().until(() -> get(ns, Metric.class, "orphan").orElseThrow(),
                m -> condition(m.getStatus(), Condition.VALID).isPresent());
        assertThat(condition(orphan.getStatus(), Condition.VALID).orElseThrow().getReason()).isEqualTo("StreamNotFound");
        eventually().until(() -> get(ns, FlinkDeployment.class, PIPELINE), Optional::isPresent);
        assertThat(client.resources(KafkaTopic.class).inNamespace(ns).withLabel(Labels.ROLE, Labels.ROLE_INPUT_TOPIC).list().getItems()).isEmpty();

        // a dedicated analysis runs in a FlinkDeployment of its own, with a plan of its own
        String dedicated = "shop-events-fn-purchase-funnel";
        FlinkDeployment own = eventually().until(() -> get(ns, FlinkDeployment.class, dedicated), Optional::isPresent).orElseThrow();
        ConfigMap ownPlan = get(ns, ConfigMap.class, dedicated + "-plan").orElseThrow();
        assertThat(PlanJson.read(ownPlan.getData().get("plan.json")).analysis(AnalysisKind.Funnel, "purchase-funnel")).isPresent();
        assertThat(own.getMetadata().getAnnotations()).containsEntry(Labels.PLAN_HASH, PlanJson.read(ownPlan.getData().get("plan.json")).jobHash());
        assertThat(plan(ns).orElseThrow().analysis(AnalysisKind.Funnel, "purchase-funnel")).isEmpty();
        // the shared pipeline writes the stream's malformed records to the dead-letter topic, the dedicated one counts them only
        assertThat(own.getSpec().getJob().getArgs()).containsSubsequence("--malformed-dead-letters", "false");
        assertThat(get(ns, FlinkDeployment.class, PIPELINE).orElseThrow().getSpec().getJob().getArgs())
                .contains("--dead-letter-topic").doesNotContain("--malformed-dead-letters");
        eventually().until(() -> get(ns, Funnel.class, "purchase-funnel").orElseThrow().getStatus().getPipeline(),
                p -> p != null && dedicated.equals(p.getFlinkDeployment()) && p.getAnalysisId() != null);

        // back to shared: the dedicated pipeline goes, the analysis moves into the stream's plan
        edit(ns, Funnel.class, "purchase-funnel", f -> f.getSpec().setPipeline(null));
        eventually().until(() -> get(ns, FlinkDeployment.class, dedicated), Optional::isEmpty);
        eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Funnel, "purchase-funnel").isPresent());
    }

    // --- helpers

    private String namespace() {
        String ns = "t" + NAMESPACES.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        return ns;
    }

    private <T extends HasMetadata> T create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        return client.resource(resource).create();
    }

    private <T extends HasMetadata> Optional<T> get(String ns, Class<T> type, String name) {
        return Optional.ofNullable(client.resources(type).inNamespace(ns).withName(name).get());
    }

    /** Edits a resource, retrying when a reconciler's status write got there first (409), as kubectl edit would. */
    private <T extends HasMetadata> void edit(String ns, Class<T> type, String name, java.util.function.Consumer<T> change) {
        ConflictRetry.edit(client.resources(type).inNamespace(ns).withName(name), change);
    }

    private Optional<PipelinePlan> plan(String ns) {
        return get(ns, ConfigMap.class, PLAN).map(cm -> PlanJson.read(cm.getData().get("plan.json")));
    }

    private String planHashOfPipeline(String ns) {
        return get(ns, FlinkDeployment.class, PIPELINE).map(fd -> fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH)).orElse(null);
    }

    /** Writes the status as the Flink operator would, having acted on the FlinkDeployment as given. */
    private void setFlinkStatus(FlinkDeployment fd, String lifecycle, String job) {
        new FlinkOperatorStatus(client).reconciledEarlier(fd, lifecycle, job);
    }

    private static Optional<Condition> condition(PulseStatus status, String type) {
        return status == null ? Optional.empty() : status.condition(type);
    }

    private static boolean isTrue(PulseStatus status, String type) {
        return condition(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
    }

    private static void quietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
