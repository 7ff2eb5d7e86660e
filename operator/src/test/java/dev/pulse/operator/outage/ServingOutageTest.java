package dev.pulse.operator.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.FlinkOperatorStatus;
import dev.pulse.operator.InstalledPlatform;
import dev.pulse.operator.eventstream.ReconcileSteps;
import dev.pulse.render.Labels;
import dev.pulse.testsupport.ConflictRetry;
import dev.pulse.testsupport.PostgresExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatus;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobState;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The operator heals by itself: PostgreSQL down for two minutes, hung then refusing connections,
 * shows as Ready=False ServingStoreUnavailable on the stream and its analyses the whole time, a
 * suspend still works meanwhile (no schema change is needed for it), and once PostgreSQL answers
 * again Ready turns True without any new event or edit (the maximum reconciliation interval, here
 * 2 s). A KafkaTopic Strimzi refuses shows in the stream's TopicReady with Strimzi's reason and message. Also: a crash after any step of
 * a reconcile converges, and serving.retention is enforced on a schedule.
 */
@QuarkusTest
@TestProfile(ServingOutageTest.Quick.class)
@QuarkusTestResource(value = GatedPostgres.class, restrictToAnnotatedClass = true)
@WithKubernetesTestServer(crud = true, setup = InstalledPlatform.class)
class ServingOutageTest {
    /** Every resource reconciled at least every 2 s, the database checked at most every second. */
    public static class Quick implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> c = new HashMap<>();
            for (String controller : List.of("eventstream", "metric", "funnel", "retention")) {
                c.put("quarkus.operator-sdk.controllers.\"" + controller + "\".max-reconciliation-interval", "2s");
            }
            c.put("pulse.jdbc.check-interval", "1s");
            c.put("pulse.jdbc.connect-timeout", "2s");
            c.put("pulse.serving.retention-interval", "1s");
            return c;
        }
    }

    private static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {cluster: analytics, topic: outage-events, partitions: 2, external: %s}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields:
                - {name: platform, type: string}
            """;

    private static final String METRIC = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: count}
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
            """;

    private static final String PIPELINE = "shop-events-pipeline";

    @Inject
    KubernetesClient client;

    /** How long each kind of outage lasts: two minutes of PostgreSQL down in all. */
    private static final Duration HUNG_FOR = Duration.ofSeconds(60);
    private static final Duration REFUSING_FOR = Duration.ofSeconds(60);

    /**
     * PostgreSQL down for two minutes: one minute hung (its processes stopped with SIGSTOP, so
     * connections open but nothing answers), then one minute refusing connections (processes running
     * again, but behind a proxy that refuses and resets). Throughout, the stream and its Metric say
     * Ready=False ServingStoreUnavailable, the database's own words never; no reconcile waits on the
     * database or gives up: late in each minute a suspend and a resume still reach the
     * FlinkDeployment (no schema change is needed for them). Once PostgreSQL answers again, Ready
     * turns True by the periodic reconcile alone: nothing is edited after the last resume.
     */
    @Test
    void twoMinutesOfPostgresHungThenRefusingShowAsServingStoreUnavailableAndHealWithoutAnEdit() throws Exception {
        String ns = namespace("outage");
        FlinkOperatorStatus flink = readyStreamAndMetric(ns);

        Instant hungUntil = Instant.now().plus(HUNG_FOR);
        try (PostgresExtension.Hung hung = PostgresExtension.shared().hang()) {
            assertThat(hung.pids()).hasSizeGreaterThan(1); // the postmaster and its background processes
            staysUnavailable(ns, hungUntil, flink);
            // the hung minute is over: PostgreSQL refuses connections (and resets the ones opened while hung) before it runs again
            GatedPostgres.gate.refuse();
        }
        Instant refusingUntil = Instant.now().plus(REFUSING_FOR);
        Metric stillDown = staysUnavailable(ns, refusingUntil, flink);
        long metricGeneration = stillDown.getMetadata().getGeneration();
        long streamGeneration = stream(ns).getMetadata().getGeneration();

        // PostgreSQL is back; nobody touches anything: Ready again by the periodic reconcile alone
        GatedPostgres.gate.accept();
        Metric healed = eventually().until(() -> metric(ns), m -> isTrue(m.getStatus(), Condition.READY));
        EventStream streamHealed = eventually().until(() -> stream(ns), s -> isTrue(s.getStatus(), Condition.READY));
        assertThat(healed.getMetadata().getGeneration()).isEqualTo(metricGeneration);
        assertThat(streamHealed.getMetadata().getGeneration()).isEqualTo(streamGeneration);
        assertThat(healed.getStatus().getObservedGeneration()).isEqualTo(metricGeneration);
    }

    /**
     * While the serving store is down until {@code until}: the Metric and the stream turn Ready=False
     * ServingStoreUnavailable within a reconcile interval and a check, and say so at every look, once
     * a second, until then; 15 s before the end a suspend and a resume reach the FlinkDeployment.
     */
    private Metric staysUnavailable(String ns, Instant until, FlinkOperatorStatus flink) throws InterruptedException {
        Metric down = eventually().until(() -> metric(ns), m -> reason(m.getStatus(), Condition.READY).equals("ServingStoreUnavailable"));
        assertThat(condition(down.getStatus(), Condition.READY).getStatus()).isEqualTo("False");
        assertThat(condition(down.getStatus(), Condition.READY).getMessage()).startsWith("cannot connect to the serving database")
                .doesNotContain("127.0.0.1");
        eventually().until(() -> stream(ns), s -> reason(s.getStatus(), Condition.READY).equals("ServingStoreUnavailable"));
        boolean suspended = false;
        int looks = 0;
        while (Instant.now().isBefore(until)) {
            if (!suspended && Instant.now().isAfter(until.minusSeconds(15))) {
                down = suspendAndResumeWhileTheStoreIsDown(ns, flink);
                suspended = true;
            }
            Metric m = metric(ns);
            EventStream s = stream(ns);
            assertThat(condition(m.getStatus(), Condition.READY)).as("the Metric's Ready at %s", Instant.now())
                    .extracting(Condition::getStatus, Condition::getReason).containsExactly("False", "ServingStoreUnavailable");
            assertThat(condition(s.getStatus(), Condition.READY)).as("the stream's Ready at %s", Instant.now())
                    .extracting(Condition::getStatus, Condition::getReason).containsExactly("False", "ServingStoreUnavailable");
            looks++;
            Thread.sleep(1000);
        }
        assertThat(suspended).as("a suspend and a resume while the store was down").isTrue();
        assertThat(looks).isGreaterThan(30);
        return down;
    }

    /** A stream and its Metric, deployed, their pipeline running as the Flink operator reports it, both Ready. */
    private FlinkOperatorStatus readyStreamAndMetric(String ns) {
        create(ns, EventStream.class, STREAM.formatted("true"));
        create(ns, Metric.class, METRIC);
        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                .orElseThrow();
        eventually().until(() -> pipeline(ns), fd -> fd != null && plan.jobHash().equals(fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH)));
        FlinkOperatorStatus flink = new FlinkOperatorStatus(client);
        flink.reconciled(ns, PIPELINE, "STABLE", "RUNNING");
        eventually().until(() -> metric(ns), m -> isTrue(m.getStatus(), Condition.READY));
        eventually().until(() -> stream(ns), s -> isTrue(s.getStatus(), Condition.READY));
        return flink;
    }

    /**
     * Suspends and resumes the stream while the serving store is down: both reach the FlinkDeployment
     * (no schema change is needed); once the pipeline runs again the store, still down, outranks it.
     */
    private Metric suspendAndResumeWhileTheStoreIsDown(String ns, FlinkOperatorStatus flink) {
        ConflictRetry.edit(client.resources(EventStream.class).inNamespace(ns).withName("shop-events"), s -> s.getSpec().setSuspend(true));
        eventually().until(() -> pipeline(ns).getSpec().getJob().getState(), s -> s == JobState.SUSPENDED);
        flink.reconciled(ns, PIPELINE, "SUSPENDED", "FINISHED");
        ConflictRetry.edit(client.resources(EventStream.class).inNamespace(ns).withName("shop-events"), s -> s.getSpec().setSuspend(false));
        eventually().until(() -> pipeline(ns).getSpec().getJob().getState(), s -> s == JobState.RUNNING);
        flink.reconciled(ns, PIPELINE, "STABLE", "RUNNING");
        Metric stillDown = eventually().until(() -> metric(ns), m -> "Running".equals(reason(m.getStatus(), Condition.PIPELINE_RUNNING)));
        assertThat(reason(stillDown.getStatus(), Condition.READY)).isEqualTo("ServingStoreUnavailable");
        return stillDown;
    }

    @Inject
    ReconcileSteps steps;

    /**
     * The operator dies after each step of a stream's first reconcile in turn (its serving tables,
     * KafkaTopics, ConfigMaps, FlinkDeployment, status) and the next reconcile, as a restarted
     * operator's, starts from what it finds: it converges to one of each object, the deployed plan
     * the one compiled, one catalog row, and a true status.
     */
    @Test
    void aCrashAfterAnyStepOfAReconcileConvergesToTheSameObjectsWithoutDuplicates() throws Exception {
        for (ReconcileSteps.Step step : ReconcileSteps.Step.values()) {
            String ns = namespace("crash-" + step.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            steps.crashAfter(ns + "/shop-events", step);
            create(ns, EventStream.class, STREAM.formatted("false"));
            create(ns, Metric.class, METRIC);
            eventually().until(() -> steps.crashed(ns + "/shop-events"), s -> s == step);

            PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                    .orElseThrow();
            eventually().until(() -> pipeline(ns), fd -> fd != null && plan.jobHash().equals(fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH)));
            new FlinkOperatorStatus(client).reconciled(ns, PIPELINE, "STABLE", "RUNNING");
            eventually().until(() -> client.resources(KafkaTopic.class).inNamespace(ns).list().getItems().size(), n -> n == 2);
            for (KafkaTopic t : client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()) {
                topicStatus(ns, t.getMetadata().getName(), "True", null, null);
            }
            EventStream stream = eventually().until(() -> stream(ns), s -> isTrue(s.getStatus(), Condition.READY)
                    && s.getStatus().getObservedGeneration() != null);
            Metric metric = eventually().until(() -> metric(ns), m -> isTrue(m.getStatus(), Condition.READY));

            assertThat(client.resources(KafkaTopic.class).inNamespace(ns).list().getItems()).as(step.name())
                    .extracting(t -> t.getMetadata().getName()).containsExactlyInAnyOrder("outage-events", "outage-events.dlq");
            assertThat(client.configMaps().inNamespace(ns).list().getItems()).as(step.name())
                    .extracting(cm -> cm.getMetadata().getLabels().get(Labels.ROLE)).containsExactlyInAnyOrder("plan", "dashboard");
            assertThat(client.resources(FlinkDeployment.class).inNamespace(ns).list().getItems()).as(step.name())
                    .extracting(fd -> fd.getMetadata().getName()).containsExactly(PIPELINE);
            assertThat(plan(ns).orElseThrow().jobHash()).as(step.name()).isEqualTo(plan.jobHash());
            assertThat(stream.getStatus().getObservedGeneration()).isEqualTo(stream.getMetadata().getGeneration());
            assertThat(metric.getStatus().getObservedGeneration()).isEqualTo(metric.getMetadata().getGeneration());
            assertThat(catalogStatuses(ns)).as(step.name()).containsExactly("active");
        }
    }

    @Inject
    dev.pulse.operator.serving.ServingDatabase serving;

    @Test
    void aDeletedMetricIsRetiredInTheCatalogEvenAsItsStreamsLastAnalysis() throws Exception {
        String ns = namespace("retire");
        create(ns, EventStream.class, STREAM.formatted("true"));
        create(ns, Metric.class, METRIC);
        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                .orElseThrow();
        eventually().until(() -> pipeline(ns), fd -> fd != null && plan.jobHash().equals(fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH)));
        new FlinkOperatorStatus(client).reconciled(ns, PIPELINE, "STABLE", "RUNNING");
        eventually().until(() -> catalogStatuses(ns), s -> s.equals(List.of("active")));

        client.resources(Metric.class).inNamespace(ns).withName("orders").delete();
        // its stream has no analysis left: the version is retired all the same (its table is kept)
        eventually().until(() -> catalogStatuses(ns), s -> s.equals(List.of("retired")));
    }

    /**
     * The operator enforces serving.retention by itself, on its schedule (here every second): the expired day's partition
     * goes, the other rows stay.
     */
    @Test
    void expiredRowsAreDeletedOnTheRetentionSchedule() throws Exception {
        String ns = namespace("expiry");
        create(ns, EventStream.class, STREAM.formatted("true"));
        create(ns, Metric.class, METRIC + "  serving: {retention: 1d}\n");
        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                .orElseThrow();
        AnalysisPlan orders = plan.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        assertThat(orders.serving().retentionMs()).isEqualTo(Duration.ofDays(1).toMillis());
        eventually().until(() -> catalogStatuses(ns), s -> s.equals(List.of("active")));
        TableLayout table = TableLayout.of(orders);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant expired = now.minus(3, ChronoUnit.DAYS);
        Instant kept = now.minus(1, ChronoUnit.HOURS);
        try (Connection c = serving.connect()) {
            for (Instant end : List.of(expired, kept)) {
                dev.pulse.api.serving.ServingSchema.ensurePartitions(c, table, List.of(end.minusSeconds(60).toEpochMilli()));
                try (PreparedStatement p = c.prepareStatement(table.upsertSql())) {
                    p.setTimestamp(1, Timestamp.from(end.minusSeconds(60)));
                    p.setTimestamp(2, Timestamp.from(end));
                    p.setString(3, "ios");
                    p.setDouble(4, 1);
                    p.setObject(5, null);
                    p.setObject(6, null);
                    p.setBoolean(7, true);
                    p.executeUpdate();
                }
            }
        }
        List<Instant> left = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> windowEnds(table), ends -> ends.size() == 1);
        assertThat(left).containsExactly(kept);
    }

    private List<Instant> windowEnds(TableLayout table) throws java.sql.SQLException {
        List<Instant> out = new java.util.ArrayList<>();
        try (Connection c = serving.connect(); var s = c.prepareStatement("SELECT window_end FROM " + table.qualifiedName() + " ORDER BY 1");
                var r = s.executeQuery()) {
            while (r.next()) {
                out.add(r.getTimestamp(1).toInstant());
            }
        }
        return out;
    }

    private List<String> catalogStatuses(String ns) throws java.sql.SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var c = serving.connect(); var s = c.prepareStatement("SELECT status FROM " + dev.pulse.api.serving.Catalog.QUALIFIED
                + " WHERE namespace = ? AND kind = 'Metric' AND name = 'orders'")) {
            s.setString(1, ns);
            try (var r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void aKafkaTopicStrimziRefusesShowsInTheStreamsTopicReady() {
        String ns = namespace("topics");
        create(ns, EventStream.class, STREAM.formatted("false"));
        KafkaTopic input = eventually().until(() -> client.resources(KafkaTopic.class).inNamespace(ns).withName("outage-events").get(),
                t -> t != null);
        eventually().until(() -> client.resources(KafkaTopic.class).inNamespace(ns).withName("outage-events.dlq").get(), t -> t != null);
        topicStatus(ns, "outage-events.dlq", "True", null, null);
        topicStatus(ns, input.getMetadata().getName(), "False", "KafkaError",
                "org.apache.kafka.common.errors.PolicyViolationException: replication factor 3 is larger than the 1 brokers");

        EventStream refused = eventually().until(() -> stream(ns), s -> "False".equals(status(s.getStatus(), Condition.TOPIC_READY)));
        Condition topic = condition(refused.getStatus(), Condition.TOPIC_READY);
        assertThat(topic.getReason()).isEqualTo("KafkaError");
        assertThat(topic.getMessage()).isEqualTo("KafkaTopic outage-events is not Ready: "
                + "org.apache.kafka.common.errors.PolicyViolationException: replication factor 3 is larger than the 1 brokers");
        assertThat(reason(refused.getStatus(), Condition.READY)).isEqualTo("TopicNotReady");

        topicStatus(ns, input.getMetadata().getName(), "True", null, null);
        eventually().until(() -> stream(ns), s -> "True".equals(status(s.getStatus(), Condition.TOPIC_READY)));
    }

    /** What Strimzi writes: Ready with its reason and message, for the topic's current generation. */
    private void topicStatus(String ns, String name, String ready, String reason, String message) {
        var resource = client.resources(KafkaTopic.class).inNamespace(ns).withName(name);
        KafkaTopic t = resource.get();
        KafkaTopicStatus s = new KafkaTopicStatus();
        s.setObservedGeneration(t.getMetadata().getGeneration());
        s.setTopicName(name);
        s.setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus(ready).withReason(reason).withMessage(message)
                .withLastTransitionTime("2026-01-01T00:00:00Z").build()));
        t.setStatus(s);
        client.resource(t).updateStatus();
    }

    private String namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        return name;
    }

    private <T extends HasMetadata> void create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
    }

    private Optional<PipelinePlan> plan(String ns) {
        return Optional.ofNullable(client.configMaps().inNamespace(ns).withName(PIPELINE + "-plan").get())
                .map((ConfigMap cm) -> PlanJson.read(cm.getData().get("plan.json")));
    }

    private FlinkDeployment pipeline(String ns) {
        return client.resources(FlinkDeployment.class).inNamespace(ns).withName(PIPELINE).get();
    }

    private Metric metric(String ns) {
        return client.resources(Metric.class).inNamespace(ns).withName("orders").get();
    }

    private EventStream stream(String ns) {
        return client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get();
    }

    private static Condition condition(PulseStatus status, String type) {
        return status == null ? new Condition(type, "Unknown", "Absent", "", null, null)
                : status.condition(type).orElse(new Condition(type, "Unknown", "Absent", "", null, null));
    }

    private static String reason(PulseStatus status, String type) {
        return condition(status, type).getReason();
    }

    private static String status(PulseStatus status, String type) {
        return condition(status, type).getStatus();
    }

    private static boolean isTrue(PulseStatus status, String type) {
        return "True".equals(status(status, type));
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200));
    }
}
