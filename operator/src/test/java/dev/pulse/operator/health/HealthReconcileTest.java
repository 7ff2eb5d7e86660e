package dev.pulse.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.DeadLetters;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.AnalysisLimits;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.PulseStatus;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.FlinkOperatorStatus;
import dev.pulse.operator.InstalledPlatform;
import dev.pulse.render.Labels;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import dev.pulse.operator.drift.DriftCheck;
import dev.pulse.operator.drift.DriftSchedule;
import dev.pulse.operator.metrics.PulseMetrics;
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
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * The probes inside the running operator, on the in-memory Kubernetes API with a real Kafka broker
 * and PostgreSQL: lag grows while the pipeline's group does not commit and falls when it does,
 * freshness and Fresh follow the serving table, a failed job shows in status and gauges.
 */
@QuarkusTest
@TestProfile(HealthReconcileTest.Probing.class)
@QuarkusTestResource(value = KafkaAndPostgres.class, restrictToAnnotatedClass = true)
@WithKubernetesTestServer(crud = true, setup = InstalledPlatform.class)
class HealthReconcileTest {
    /** Probes on, every second. */
    public static class Probing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pulse.probes.enabled", "true", "pulse.probes.interval", "1s", "pulse.probes.timeout", "5s", "pulse.probes.drift-retry", "1s",
                    "quarkus.log.category.\"dev.pulse\".level", "DEBUG");
        }
    }

    private static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events}
            spec:
              kafka: {cluster: analytics, topic: health-events, partitions: 2, external: true}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              watermark: {maxOutOfOrderness: 30s}
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
              allowedLateness: 1m
              freshnessObjective: 60s
            """;

    @Inject
    KubernetesClient client;

    @Inject
    PulseMetrics metrics;

    @Test
    void lagFreshnessAndJobStateReachStatusAndGauges() throws Exception {
        String ns = "health";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("health-events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        create(ns, EventStream.class, STREAM);
        create(ns, Metric.class, METRIC);
        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent()).orElseThrow();
        AnalysisPlan orders = plan.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        String group = plan.stream().consumerGroup();
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING");

        // the serving table (the operator does not create it yet: the serving layer's schema management does)
        try (Connection serving = serving()) {
            ServingSchema.applyAnalyses(serving, List.of(orders));
            upsert(serving, orders, Instant.now().minus(1, ChronoUnit.HOURS));
        }

        // the job has not committed yet and 500 events wait: lag 500 records (a round during the writes may have seen
        // fewer, and within the 100-record deadband status keeps that); the latest final window is an hour old
        produce(500);
        Metric lagging = eventually().until(() -> metric(ns), m -> m.getStatus() != null && m.getStatus().getLag() != null
                && m.getStatus().getLag().getRecords() > 400 && m.getStatus().getFreshness() != null);
        assertThat(lagging.getStatus().getLag().getRecords()).isLessThanOrEqualTo(500L);
        assertThat(lagging.getStatus().getFreshness().getSecondsBehind()).isBetween(3500L, 3700L);
        assertThat(condition(lagging.getStatus(), Condition.FRESH).getStatus()).isEqualTo("False");
        assertThat(condition(lagging.getStatus(), Condition.READY).getStatus()).isEqualTo("False");
        assertThat(metrics.value(ns, "Metric", "orders", PulseMetrics.LAG_RECORDS)).isEqualTo(lagging.getStatus().getLag().getRecords().doubleValue());
        // objective 60 s + one 1m window step + allowed lateness 1m + out-of-orderness 30 s
        assertThat(metrics.value(ns, "Metric", "orders", PulseMetrics.FRESHNESS_OBJECTIVE_SECONDS)).isEqualTo(210.0);

        // the stream shows its shared pipeline's lag too, and that its probes work
        EventStream streamLagging = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                st -> st.getStatus() != null && st.getStatus().getLag() != null && st.getStatus().getLag().getRecords() > 400);
        assertThat(streamLagging.getStatus().getLag().getRecords()).isLessThanOrEqualTo(500L);
        assertThat(condition(streamLagging.getStatus(), Condition.PROBING).getReason()).isEqualTo("Probed");

        // lag grows while nothing commits
        produce(1000);
        eventually().until(() -> metric(ns), m -> m.getStatus().getLag().getRecords() > 1400);

        // the job catches up (commits at the end) and writes a fresh final window: lag 0, Fresh, Ready
        commitToEnd(group, "health-events");
        try (Connection serving = serving()) {
            upsert(serving, orders, Instant.now().minusSeconds(40));
        }
        Metric fresh = eventually().until(() -> metric(ns), m -> Long.valueOf(0).equals(m.getStatus().getLag().getRecords())
                && "True".equals(condition(m.getStatus(), Condition.FRESH).getStatus()));
        assertThat(fresh.getStatus().getFreshness().getSecondsBehind()).isLessThan(150L);
        eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                st -> Long.valueOf(0).equals(st.getStatus().getLag().getRecords()));
        assertThat(condition(fresh.getStatus(), Condition.READY).getStatus()).isEqualTo("True");
        assertThat(metrics.value(ns, "Metric", "orders", PulseMetrics.PIPELINE_UP)).isEqualTo(1.0);

        // the job fails: PipelineRunning and Ready say so, the gauge drops
        setFlinkStatus(ns, "shop-events-pipeline", "FAILED", "FAILED");
        Metric failed = eventually().until(() -> metric(ns), m -> "JobFailed".equals(condition(m.getStatus(), Condition.PIPELINE_RUNNING).getReason()));
        assertThat(condition(failed.getStatus(), Condition.READY).getReason()).isEqualTo("PipelineFailed");
        assertThat(condition(failed.getStatus(), Condition.READY).getMessage()).startsWith("JobFailed: ");
        eventually().until(() -> metrics.value(ns, "Metric", "orders", PulseMetrics.PIPELINE_UP), v -> v != null && v == 0.0);
    }

    @Test
    void aWindowWithAnOtherRowMakesTheAnalysisCardinalityCappedWhileItStaysReady() throws Exception {
        String ns = "capped";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("capped-events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        create(ns, EventStream.class, STREAM.replace("topic: health-events", "topic: capped-events"));
        create(ns, Metric.class, METRIC + "  limits: {maxGroups: 2}\n");
        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent()).orElseThrow();
        AnalysisPlan orders = plan.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        assertThat(orders.groupLimit()).isEqualTo(2);
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING");
        commitToEnd(plan.stream().consumerGroup(), "capped-events");

        // a fresh window with two combinations: Ready, not capped
        Instant end = Instant.now().minusSeconds(40).truncatedTo(ChronoUnit.MINUTES);
        try (Connection serving = serving()) {
            ServingSchema.applyAnalyses(serving, List.of(orders));
            upsert(serving, orders, end, "ios", 3);
            upsert(serving, orders, end, "android", 2);
        }
        Metric ready = eventually().until(() -> metric(ns), m -> m.getStatus() != null
                && "True".equals(condition(m.getStatus(), Condition.READY).getStatus()));
        assertThat(ready.getStatus().condition(Condition.CARDINALITY_CAPPED)).isEmpty();

        // the pipeline counted a third combination under __other__: CardinalityCapped, and still Ready
        try (Connection serving = serving()) {
            upsert(serving, orders, end, AnalysisLimits.OTHER, 4);
        }
        Metric capped = eventually().until(() -> metric(ns), m -> "True".equals(condition(m.getStatus(), Condition.CARDINALITY_CAPPED).getStatus()));
        Condition c = condition(capped.getStatus(), Condition.CARDINALITY_CAPPED);
        assertThat(c.getReason()).isEqualTo("MaxGroupsReached");
        assertThat(c.getMessage()).contains("spec.limits.maxGroups (2)").contains(end.minusSeconds(60).toString());
        assertThat(condition(capped.getStatus(), Condition.READY).getStatus()).isEqualTo("True");

        // ten windows later the latest windows fit again: False, and Ready all along
        try (Connection serving = serving()) {
            upsert(serving, orders, end.plus(10, ChronoUnit.MINUTES), "ios", 1);
        }
        Metric fits = eventually().until(() -> metric(ns), m -> "False".equals(condition(m.getStatus(), Condition.CARDINALITY_CAPPED).getStatus()));
        assertThat(condition(fits.getStatus(), Condition.CARDINALITY_CAPPED).getReason()).isEqualTo("WithinMaxGroups");
        assertThat(condition(fits.getStatus(), Condition.READY).getStatus()).isEqualTo("True");
    }

    private static final String DRIFT_STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: orders-events}
            spec:
              kafka: {cluster: analytics, topic: health-events, partitions: 2, external: true}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              fields:
                - {name: platform, type: string}
            """;

    private static final String RECONCILED = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders}
            spec:
              stream: orders-events
              events: [purchase]
              aggregation: {type: count}
              dimensions: [platform]
              window: {type: tumbling, size: 1m}
              serving: {rollups: [1d]}
              reconciliation:
                source: warehouse
                table: warehouse.daily_orders
                dayColumn: day
                valueColumn: orders
                dimensionColumns: {platform: platform}
                promoteAfterDays: 2
            """;

    @Inject
    DriftCheck driftCheck;

    @Test
    void theLatestClosedDayIsComparedWithTheConfiguredBatchSourceAndOlderDaysOnDemand() throws Exception {
        String ns = "drift";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        create(ns, EventStream.class, DRIFT_STREAM);
        create(ns, Metric.class, RECONCILED);
        PipelinePlan plan = eventually().until(() -> Optional.ofNullable(client.configMaps().inNamespace(ns).withName("orders-events-pipeline-plan").get())
                .map(cm -> PlanJson.read(cm.getData().get("plan.json"))), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                .orElseThrow();
        AnalysisPlan orders = plan.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        LocalDate latest = DriftSchedule.latestClosed(Instant.now(), ZoneOffset.UTC, Duration.ofHours(2));
        LocalDate before = latest.minusDays(1);
        try (Connection serving = serving();
                Connection warehouse = DriverManager.getConnection(PostgresExtension.shared().jdbcUrl("health_warehouse"), "postgres", "postgres");
                Statement s = warehouse.createStatement()) {
            ServingSchema.applyAnalyses(serving, List.of(orders));
            Instant day = latest.atStartOfDay(ZoneOffset.UTC).toInstant();
            upsert(serving, orders, day.plusSeconds(600), "ios", 6);
            upsert(serving, orders, day.plusSeconds(7200), "ios", 4);
            upsert(serving, orders, day.plusSeconds(3600), "android", 5);
            upsert(serving, orders, day.minus(1, ChronoUnit.DAYS).plusSeconds(60), "ios", 10);
            s.execute("CREATE SCHEMA warehouse");
            s.execute("CREATE TABLE warehouse.daily_orders (day date, platform text, orders bigint)");
            s.execute("INSERT INTO warehouse.daily_orders VALUES ('" + latest + "', 'ios', 10), ('" + latest + "', 'android', 5), ('"
                    + before + "', 'ios', 12)");
        }
        // the scheduled comparison: the latest closed day, clean, one day of two towards Authoritative
        Metric compared = eventually().until(() -> client.resources(Metric.class).inNamespace(ns).withName("orders").get(),
                m -> m.getStatus() != null && m.getStatus().getDrift() != null && latest.toString().equals(m.getStatus().getDrift().getDay())
                        && "True".equals(condition(m.getStatus(), Condition.DRIFT_WITHIN_TOLERANCE).getStatus()));
        assertThat(compared.getStatus().getDrift().getStreaming()).isEqualTo(15.0);
        assertThat(compared.getStatus().getDrift().getBatch()).isEqualTo(15.0);
        assertThat(compared.getStatus().getDrift().getConsecutiveCleanDays()).isEqualTo(1);
        assertThat(condition(compared.getStatus(), Condition.AUTHORITATIVE).getReason()).isEqualTo("OnProbation");
        eventually().until(() -> metrics.value(ns, "Metric", "orders", PulseMetrics.DRIFT_RATIO), v -> v != null && v == 0.0);
        assertThat(metrics.value(ns, "Metric", "orders", PulseMetrics.AUTHORITATIVE)).isEqualTo(0.0);

        // on demand (the annotation), an older day: 10 streamed against 12 in the batch
        Metric asked = client.getKubernetesSerialization().clone(compared);
        asked.getMetadata().setAnnotations(Map.of(DriftCheck.RECONCILE_NOW, before.toString()));
        DriftCheck.Result result = driftCheck.check(asked, orders);
        assertThat(result.outcome().day()).isEqualTo(before);
        assertThat(result.outcome().comparison().clean()).isFalse();
        assertThat(result.outcome().comparison().worst()).containsExactly("platform=ios: streaming 10, batch 12 (-16.67%)");
        assertThat(driftCheck.check(asked, orders).outcome()).as("the same request runs once").isNull();
    }

    private static Connection serving() throws Exception {
        return java.sql.DriverManager.getConnection(PostgresExtension.shared().jdbcUrl("health_serving"), "postgres", "postgres");
    }

    /** A final row of the Metric's table for the minute window ending at {@code end}. */
    private static void upsert(Connection c, AnalysisPlan plan, Instant end) throws Exception {
        upsert(c, plan, end, "ios", 1);
    }

    private static void upsert(Connection c, AnalysisPlan plan, Instant end, String platform, double value) throws Exception {
        TableLayout t = TableLayout.of(plan);
        ServingSchema.ensurePartitions(c, t, List.of(end.minusSeconds(60).toEpochMilli()));
        try (PreparedStatement p = c.prepareStatement(t.upsertSql())) {
            int i = 1;
            p.setTimestamp(i++, Timestamp.from(end.minusSeconds(60)));
            p.setTimestamp(i++, Timestamp.from(end));
            // the first dimension (platform) set, any further one missing
            for (int d = 0; d < plan.dimensions().size(); d++) {
                p.setString(i++, d == 0 ? platform : null);
            }
            p.setDouble(i++, value);
            p.setObject(i++, null);
            p.setObject(i++, null);
            p.setBoolean(i, true);
            p.executeUpdate();
        }
        // as the sink does after its upserts: the rollup buckets of the row (autocommit: its own transaction)
        String[] dims = new String[plan.dimensions().size()];
        for (int d = 0; d < dims.length; d++) {
            dims[d] = TableLayout.storedDimension(d == 0 ? platform : null);
        }
        new RollupMaintenance(t, plan.metric().aggregation()).afterUpsert(c, new long[] {end.minusSeconds(60).toEpochMilli()},
                List.<String[]>of(dims));
    }

    private static void produce(int n) {
        produce("health-events", n);
    }

    private static void produce(String topic, int n) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndPostgres.kafka.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topic, "u" + i, "{\"event\":\"purchase\"}"));
            }
            producer.flush();
        }
    }

    /** What the job's checkpoint does: commits the group's offsets (here: at the end of every partition). */
    private static void commitToEnd(String group, String topic) throws Exception {
        Map<Integer, Long> ends = endOffsets(topic);
        commit(group, topic, ends);
    }

    private static Map<Integer, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            var ends = admin.listOffsets(Map.of(partitions.get(0), OffsetSpec.latest(), partitions.get(1), OffsetSpec.latest())).all().get();
            Map<Integer, Long> out = new java.util.TreeMap<>();
            ends.forEach((tp, info) -> out.put(tp.partition(), info.offset()));
            return out;
        }
    }

    private static void commit(String group, String topic, Map<Integer, Long> offsets) throws Exception {
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            Map<TopicPartition, OffsetAndMetadata> out = new java.util.HashMap<>();
            offsets.forEach((p, o) -> out.put(new TopicPartition(topic, p), new OffsetAndMetadata(o)));
            admin.alterConsumerGroupOffsets(group, out).all().get(30, TimeUnit.SECONDS);
        }
    }

    private Metric metric(String ns) {
        return client.resources(Metric.class).inNamespace(ns).withName("orders").get();
    }

    /** What the test saw of a figure's asOf: when it looked, and the asOf it read. */
    private record Look(Instant at, Instant asOf) {
    }

    /**
     * Lag figures never freeze: through a restart of the job (a new start time, as after a failover)
     * and a spec change of the Metric (a new version rolled out: the pipeline stopped, the new plan
     * deployed and started), the Metric's status.lag.asOf and the stream's pipelineLags asOf keep
     * advancing, never further apart than the probes' own stall limit (two intervals and a timeout,
     * here 7 s), and the figures are never marked stale.
     */
    @Test
    void lagAsOfAdvancesEveryProbeIntervalThroughAJobRestartAndASpecChange() throws Exception {
        String ns = "asof";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("asof-events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        create(ns, EventStream.class, STREAM.replace("topic: health-events", "topic: asof-events"));
        create(ns, Metric.class, METRIC);
        PipelinePlan first = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                .orElseThrow();
        String firstId = first.analysis(AnalysisKind.Metric, "orders").orElseThrow().id();
        produce("asof-events", 50);
        commitToEnd(first.stream().consumerGroup(), "asof-events");
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING", Instant.now().minusSeconds(60));
        eventually().until(() -> metric(ns), m -> m.getStatus() != null && m.getStatus().getLag() != null && m.getStatus().getLag().getAsOf() != null);

        List<Look> metricLooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Look> streamLooks = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> staleSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        var looking = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        looking.scheduleWithFixedDelay(() -> {
            Instant at = Instant.now();
            Metric m = metric(ns);
            EventStream st = client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get();
            if (m.getStatus().getLag() != null && m.getStatus().getLag().getAsOf() != null) {
                metricLooks.add(new Look(at, Instant.parse(m.getStatus().getLag().getAsOf())));
                if (Boolean.TRUE.equals(m.getStatus().getLag().getStale())) {
                    staleSeen.add("Metric at " + at);
                }
            }
            if (st.getStatus() != null && st.getStatus().getPipelineLags() != null) {
                st.getStatus().getPipelineLags().stream().filter(l -> "shop-events-pipeline".equals(l.getPipeline()) && l.getAsOf() != null)
                        .findFirst().ifPresent(l -> {
                            streamLooks.add(new Look(at, Instant.parse(l.getAsOf())));
                            if (Boolean.TRUE.equals(l.getStale())) {
                                staleSeen.add("stream at " + at);
                            }
                        });
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        Instant from = Instant.now();
        try {
            Thread.sleep(3000);
            // the job restarts (a failover): a new start time for the same plan
            setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING", Instant.now());
            eventually().until(() -> metric(ns), m -> Long.valueOf(1).equals(m.getStatus().getPipeline().getRestarts()));
            Thread.sleep(3000);

            // a spec change: a new version of the Metric, rolled out as the Flink operator would (stopped first when the operator asks)
            produce("asof-events", 20);
            commitToEnd(first.stream().consumerGroup(), "asof-events"); // the position of the stop's savepoint
            Metric edited = metric(ns);
            edited.getSpec().setAllowedLateness("2m");
            client.resource(edited).update();
            String changedHash = eventually().until(() -> {
                FlinkDeployment fd = client.resources(FlinkDeployment.class).inNamespace(ns).withName("shop-events-pipeline").get();
                if (fd.getSpec().getJob().getState() == org.apache.flink.kubernetes.operator.api.spec.JobState.SUSPENDED
                        && !"FINISHED".equals(fd.getStatus().getJobStatus().getState())) {
                    new FlinkOperatorStatus(client).reconciled(ns, "shop-events-pipeline", "SUSPENDED", "FINISHED");
                }
                return plan(ns).filter(p -> !p.analysis(AnalysisKind.Metric, "orders").orElseThrow().id().equals(firstId))
                        .map(PipelinePlan::jobHash).orElse(null);
            }, java.util.Objects::nonNull);
            eventually().until(() -> client.resources(FlinkDeployment.class).inNamespace(ns).withName("shop-events-pipeline").get(),
                    fd -> changedHash.equals(fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH))
                            && fd.getSpec().getJob().getState() == org.apache.flink.kubernetes.operator.api.spec.JobState.RUNNING);
            setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING", Instant.now());
            eventually().until(() -> metric(ns), m -> changedHash.equals(m.getStatus().getPipeline().getReconciledPlanHash()));
            Thread.sleep(3000);
        } finally {
            looking.shutdownNow();
            looking.awaitTermination(5, TimeUnit.SECONDS);
        }
        Instant to = Instant.now();

        Duration stalledAfter = Duration.ofSeconds(7); // two 1 s intervals and the 5 s timeout
        for (var looks : List.of(metricLooks, streamLooks)) {
            assertThat(looks).as("looks at asOf").hasSizeGreaterThan(20);
            // in the order looked at, never back (distinct values alone would hide an older asOf written over a newer)
            assertThat(looks.stream().map(Look::asOf).toList()).as("asOf only moves forward").isSorted();
            List<Instant> asOfs = looks.stream().map(Look::asOf).distinct().toList();
            for (int i = 1; i < asOfs.size(); i++) {
                assertThat(Duration.between(asOfs.get(i - 1), asOfs.get(i))).as("asOf %s after %s", asOfs.get(i), asOfs.get(i - 1))
                        .isLessThan(stalledAfter);
            }
            // and at every look the figure was younger than the stall limit (asOf has whole seconds)
            for (Look l : looks) {
                assertThat(Duration.between(l.asOf(), l.at())).as("age of the lag at %s", l.at()).isLessThan(stalledAfter.plusSeconds(1));
            }
            assertThat(asOfs.get(asOfs.size() - 1)).isAfter(to.minus(stalledAfter));
            assertThat(asOfs.get(0)).isBefore(from.plusSeconds(2));
        }
        assertThat(staleSeen).as("figures marked stale").isEmpty();
    }

    /**
     * A stream read by its shared pipeline and by a dedicated one: each commits to its own consumer
     * group, so each has its own lag. The stream's status.pipelineLags lists both (pipeline, group,
     * figures, asOf); each Metric shows its own pipeline's lag.
     */
    @Test
    void eachPipelineReadingAStreamHasItsOwnGroupAndLag() throws Exception {
        String ns = "perpipeline";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("perpipeline-events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        create(ns, EventStream.class, STREAM.replace("topic: health-events", "topic: perpipeline-events"));
        create(ns, Metric.class, METRIC);
        create(ns, Metric.class, METRIC.replace("name: orders", "name: checkout") + "  pipeline: {isolation: dedicated}\n");
        Map<String, PipelinePlan> plans = eventually().until(() -> {
            Map<String, PipelinePlan> out = new java.util.TreeMap<>();
            client.configMaps().inNamespace(ns).withLabel(Labels.ROLE, Labels.ROLE_PLAN).list().getItems()
                    .forEach(cm -> out.put(PlanJson.read(cm.getData().get("plan.json")).pipeline(), PlanJson.read(cm.getData().get("plan.json"))));
            return out;
        }, m -> m.size() == 2);
        PipelinePlan shared = plans.get("shop-events-pipeline");
        PipelinePlan dedicated = plans.values().stream().filter(p -> p != shared).findFirst().orElseThrow();
        assertThat(shared.analysis(AnalysisKind.Metric, "orders")).isPresent();
        assertThat(dedicated.analysis(AnalysisKind.Metric, "checkout")).isPresent();
        assertThat(dedicated.stream().consumerGroup()).isNotEqualTo(shared.stream().consumerGroup());
        for (PipelinePlan p : plans.values()) {
            eventually().until(() -> client.resources(FlinkDeployment.class).inNamespace(ns).withName(p.pipeline()).get(),
                    fd -> fd != null && p.jobHash().equals(fd.getMetadata().getAnnotations().get(Labels.PLAN_HASH)));
            new FlinkOperatorStatus(client).reconciled(ns, p.pipeline(), "STABLE", "RUNNING");
        }

        // 300 records: the shared pipeline has read them all, the dedicated one (never committed) none
        produce("perpipeline-events", 300);
        commitToEnd(shared.stream().consumerGroup(), "perpipeline-events");
        EventStream stream = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                st -> st.getStatus() != null && st.getStatus().getPipelineLags() != null && st.getStatus().getPipelineLags().size() == 2
                        && Long.valueOf(300).equals(st.getStatus().getPipelineLags().get(0).getRecords())
                        && Long.valueOf(0).equals(st.getStatus().getPipelineLags().get(1).getRecords()));
        assertThat(stream.getStatus().getPipelineLags()).extracting(l -> l.getPipeline(), l -> l.getConsumerGroup())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(dedicated.pipeline(), dedicated.stream().consumerGroup()),
                        org.assertj.core.groups.Tuple.tuple(shared.pipeline(), shared.stream().consumerGroup()));
        assertThat(stream.getStatus().getPipelineLags()).allSatisfy(l -> assertThat(l.getAsOf()).isNotNull());
        assertThat(stream.getStatus().getLag().getRecords()).as("status.lag: the shared pipeline's").isZero();
        eventually().until(() -> metric(ns), m -> m.getStatus().getLag() != null && Long.valueOf(0).equals(m.getStatus().getLag().getRecords()));
        eventually().until(() -> client.resources(Metric.class).inNamespace(ns).withName("checkout").get(),
                m -> m.getStatus() != null && m.getStatus().getLag() != null && Long.valueOf(300).equals(m.getStatus().getLag().getRecords()));
    }

    /**
     * PostgreSQL hangs (its processes stopped) while Kafka answers: freshness goes stale with
     * Probing=False FreshnessProbeFailed, the lag does not: its asOf keeps advancing every probe
     * interval and it is never marked stale (the catalog is read beside the round, and no reconcile
     * waits on the database). Once PostgreSQL runs again Probing is True and freshness fresh.
     */
    @Test
    void aHungServingDatabaseMakesFreshnessStaleButNotTheLag() throws Exception {
        String ns = "hungcatalog";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("hungcatalog-events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        create(ns, EventStream.class, STREAM.replace("topic: health-events", "topic: hungcatalog-events"));
        create(ns, Metric.class, METRIC);
        PipelinePlan plan = eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent())
                .orElseThrow();
        AnalysisPlan orders = plan.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        produce("hungcatalog-events", 20);
        commitToEnd(plan.stream().consumerGroup(), "hungcatalog-events");
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING");
        try (Connection serving = serving()) {
            ServingSchema.applyAnalyses(serving, List.of(orders));
            upsert(serving, orders, Instant.now().minusSeconds(40));
        }
        eventually().until(() -> metric(ns), m -> m.getStatus() != null && m.getStatus().getFreshness() != null
                && m.getStatus().getFreshness().getLatestFinalWindowEnd() != null && m.getStatus().getLag() != null
                && "Probed".equals(condition(m.getStatus(), Condition.PROBING).getReason()));

        List<Instant> lagAsOfs = new ArrayList<>();
        try (PostgresExtension.Hung hung = PostgresExtension.shared().hang()) {
            Metric failed = eventually().until(() -> metric(ns), m -> "FreshnessProbeFailed".equals(condition(m.getStatus(), Condition.PROBING).getReason()));
            assertThat(failed.getStatus().getFreshness().getStale()).isTrue();
            Instant until = Instant.now().plusSeconds(10);
            while (Instant.now().isBefore(until)) {
                Metric m = metric(ns);
                assertThat(m.getStatus().getLag().getStale()).as("lag stale at %s", Instant.now()).isNull();
                assertThat(condition(m.getStatus(), Condition.PROBING).getReason()).isEqualTo("FreshnessProbeFailed");
                Instant asOf = Instant.parse(m.getStatus().getLag().getAsOf());
                if (lagAsOfs.isEmpty() || !lagAsOfs.get(lagAsOfs.size() - 1).equals(asOf)) {
                    lagAsOfs.add(asOf);
                }
                Thread.sleep(250);
            }
        }
        // probes every second, the catalog waited for half a second at most: a new lag about every 1.5 s, never 4 s apart
        assertThat(lagAsOfs).as("lag asOf while PostgreSQL hung").hasSizeGreaterThanOrEqualTo(5).isSorted();
        for (int i = 1; i < lagAsOfs.size(); i++) {
            assertThat(Duration.between(lagAsOfs.get(i - 1), lagAsOfs.get(i))).as("lag asOf %s after %s", lagAsOfs.get(i), lagAsOfs.get(i - 1))
                    .isLessThan(Duration.ofSeconds(4));
        }

        // the processes run again: probed, fresh figures, with no edit
        Metric back = eventually().until(() -> metric(ns), m -> "Probed".equals(condition(m.getStatus(), Condition.PROBING).getReason()));
        assertThat(back.getStatus().getFreshness().getStale()).isNull();
    }

    private static final String BACKFILL_STREAM = STREAM.replace("topic: health-events", "topic: backfill-events");

    /**
     * A new version is pinned where the stopped pipeline's consumer group resumes (here: a group
     * that has read the topic to its end, as a pipeline does that commits every checkpoint), reports the progress
     * of its history read (the job's history group, committed here as the job's checkpoints would)
     * as Ready=False Backfilling, and the API switches to it only once it has reached the old
     * version's latest final window, with a CutOver Event.
     */
    @Test
    void aNewVersionIsPinnedReportsItsBackfillAndCutsOverWhenItHasCaughtUp() throws Exception {
        String ns = "backfill";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("backfill-events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce("backfill-events", 300);
        Map<Integer, Long> atFirstApply = endOffsets("backfill-events");
        // the stream's consumer group has read that far: the first job resumes there, the history is what lies before
        commit("pulse.backfill.shop-events", "backfill-events", atFirstApply);
        create(ns, EventStream.class, BACKFILL_STREAM);
        create(ns, Metric.class, METRIC);
        AnalysisPlan first = eventually().until(() -> plan(ns).flatMap(p -> p.analysis(AnalysisKind.Metric, "orders")), Optional::isPresent)
                .orElseThrow();
        assertThat(first.backfill().pinned()).isTrue();
        assertThat(first.backfill().handOver()).containsExactlyEntriesOf(atFirstApply);
        PipelinePlan firstPlan = plan(ns).orElseThrow();
        String firstGroup = first.backfill().historyGroup(firstPlan.stream());
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING");

        // nothing of the history read yet: Backfilling, 0 of 300
        Metric reading = eventually().until(() -> metric(ns), m -> m.getStatus() != null && m.getStatus().getBackfill() != null
                && m.getStatus().getBackfill().getRecordsTotal() != null);
        assertThat(reading.getStatus().getBackfill().getRecordsTotal()).isEqualTo(300L);
        assertThat(reading.getStatus().getBackfill().getRecordsDone()).isZero();
        assertThat(reading.getStatus().getBackfill().getVersion()).isEqualTo(first.semanticHash());
        assertThat(reading.getStatus().getBackfill().getHandOver()).containsEntry("0", atFirstApply.get(0)).containsEntry("1", atFirstApply.get(1));
        assertThat(condition(reading.getStatus(), Condition.READY).getReason()).isEqualTo("Backfilling");

        // one partition read: progress in between
        commit(firstGroup, "backfill-events", Map.of(0, atFirstApply.get(0)));
        Metric half = eventually().until(() -> metric(ns), m -> m.getStatus().getBackfill() != null
                && atFirstApply.get(0).equals(m.getStatus().getBackfill().getRecordsDone()));
        assertThat(half.getStatus().getBackfill().getProgress()).isBetween(0.0, 1.0);

        // history read and a fresh final window: the version is served and Ready; traffic after the hand-over changes nothing
        produce("backfill-events", 50);
        commit(firstGroup, "backfill-events", atFirstApply);
        try (Connection serving = serving()) {
            upsert(serving, first, Instant.now().truncatedTo(ChronoUnit.MINUTES));
        }
        Metric served = eventually().until(() -> metric(ns), m -> m.getStatus().getBackfill() == null
                && "True".equals(condition(m.getStatus(), Condition.READY).getStatus()));
        assertThat(served.getStatus().getServingVersion()).isEqualTo(first.semanticHash());

        // a new version (another allowed lateness) while the pipeline runs: the operator suspends it first
        // (the Flink operator stops it with a savepoint; the job commits its position), then pins the
        // new version where the next job resumes and deploys it
        Map<Integer, Long> atChange = endOffsets("backfill-events");
        Metric edited = metric(ns);
        edited.getSpec().setAllowedLateness("2m");
        client.resource(edited).update();
        var fds = client.genericKubernetesResources("flink.apache.org/v1beta1", "FlinkDeployment").inNamespace(ns);
        eventually().until(() -> fds.withName("shop-events-pipeline").get(),
                fd -> "suspended".equals(((Map<?, ?>) ((Map<?, ?>) fd.getAdditionalProperties().get("spec")).get("job")).get("state")));
        assertThat(plan(ns).orElseThrow().analysis(AnalysisKind.Metric, "orders").orElseThrow().id()).as("not deployed before the stop")
                .isEqualTo(first.id());
        produce("backfill-events", 20);
        commit(firstPlan.stream().consumerGroup(), "backfill-events", atChange); // the position of the stop's savepoint
        setFlinkStatus(ns, "shop-events-pipeline", "SUSPENDED", "FINISHED");
        AnalysisPlan second = eventually().until(() -> plan(ns).flatMap(p -> p.analysis(AnalysisKind.Metric, "orders")),
                a -> a.isPresent() && !a.get().id().equals(first.id())).orElseThrow();
        assertThat(second.backfill().handOver()).containsExactlyEntriesOf(atChange);
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING");
        // the roll-out says what it changes, as pulse plan classifies it
        eventually().until(() -> client.v1().events().inNamespace(ns).list().getItems(), events -> events.stream()
                .anyMatch(e -> "PlanChanged".equals(e.getReason()) && e.getMessage().contains("Metric orders: NewVersion (allowedLateness)")));
        String secondGroup = second.backfill().historyGroup(plan(ns).orElseThrow().stream());
        commit(secondGroup, "backfill-events", atChange);

        // its history is read, but it has no final window yet: the API keeps answering from the first version
        Metric catchingUp = eventually().until(() -> metric(ns), m -> m.getStatus().getBackfill() != null
                && second.semanticHash().equals(m.getStatus().getBackfill().getVersion())
                && "Backfilling".equals(condition(m.getStatus(), Condition.READY).getReason())
                && Double.valueOf(1.0).equals(m.getStatus().getBackfill().getProgress()));
        assertThat(catchingUp.getStatus().getServingVersion()).isEqualTo(first.semanticHash());
        assertThat(condition(catchingUp.getStatus(), Condition.READY).getMessage()).contains(first.semanticHash());

        // it reaches the first version's latest final window: one switch, recorded as an Event
        try (Connection serving = serving()) {
            upsert(serving, second, Instant.now().truncatedTo(ChronoUnit.MINUTES), "ios", 1);
        }
        Metric cutOver = eventually().until(() -> metric(ns), m -> second.semanticHash().equals(m.getStatus().getServingVersion())
                && m.getStatus().getBackfill() == null);
        assertThat(condition(cutOver.getStatus(), Condition.READY).getReason()).isNotEqualTo("Backfilling");
        eventually().until(() -> client.v1().events().inNamespace(ns).list().getItems(),
                events -> events.stream().anyMatch(e -> "CutOver".equals(e.getReason()) && e.getMessage().contains(second.semanticHash())));
    }

    /**
     * status.input from the stream's dead-letter topic on the real broker: counts by reason and by
     * analysis, the latest record, a Warning Event when malformed records start, and a fresh count
     * when the pipeline starts again.
     */
    @Test
    void deadLetterRecordsBecomeStatusInputAndAnEvent() throws Exception {
        String ns = "input";
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        try (Admin admin = KafkaAndPostgres.kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("input-events", 2, (short) 1),
                    new NewTopic("input-events.dlq", 2, (short) 1).configs(Map.of("message.timestamp.type", "LogAppendTime"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        create(ns, EventStream.class, STREAM.replace("topic: health-events", "topic: input-events"));
        create(ns, Metric.class, METRIC);
        eventually().until(() -> plan(ns), p -> p.isPresent() && p.get().analysis(AnalysisKind.Metric, "orders").isPresent());
        Instant started = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING", started);

        try (KafkaProducer<byte[], byte[]> dlq = deadLetterProducer()) {
            for (int i = 0; i < 3; i++) {
                deadLetter(dlq, i % 2, "not-json", null, 0, 10 + i);
            }
            deadLetter(dlq, 1, "bad-time", null, 1, 7);
            deadLetter(dlq, 0, "bad-time", null, 1, 8);
            Thread.sleep(10); // appended last, alone in its millisecond
            deadLetter(dlq, 1, "late", "Metric/input/orders", 1, 42);
        }
        EventStream counted = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                s -> s.getStatus() != null && s.getStatus().getInput() != null && Long.valueOf(1).equals(s.getStatus().getInput().getLateTotal()));
        var input = counted.getStatus().getInput();
        assertThat(input.getMalformed()).containsExactly(Map.entry("bad-time", 2L), Map.entry("not-json", 3L));
        assertThat(input.getMalformedTotal()).isEqualTo(5L);
        assertThat(input.getLate()).containsExactly(Map.entry("Metric/input/orders", 1L));
        assertThat(input.getSince()).isEqualTo(started.toString());
        assertThat(input.getDeadLetterTopic()).isEqualTo("input-events.dlq");
        assertThat(input.getLast().getReason()).isEqualTo("late");
        assertThat(input.getLast().getAnalysis()).isEqualTo("Metric/input/orders");
        assertThat(input.getLast().getPartition()).isEqualTo(1);
        assertThat(input.getLast().getOffset()).isEqualTo(42L);
        eventually().until(() -> client.v1().events().inNamespace(ns).list().getItems(),
                events -> events.stream().anyMatch(e -> "MalformedRecords".equals(e.getReason()) && "Warning".equals(e.getType())
                        && "shop-events".equals(e.getInvolvedObject().getName()) && e.getMessage().contains("not-json: 3")));

        // the pipeline starts again (an upgrade): what was dead-lettered before no longer counts
        Thread.sleep(5);
        Instant restarted = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        setFlinkStatus(ns, "shop-events-pipeline", "STABLE", "RUNNING", restarted);
        EventStream afresh = eventually().until(() -> client.resources(EventStream.class).inNamespace(ns).withName("shop-events").get(),
                s -> s.getStatus().getInput() != null && restarted.toString().equals(s.getStatus().getInput().getSince()));
        assertThat(afresh.getStatus().getInput().getMalformedTotal()).isZero();
        assertThat(afresh.getStatus().getInput().getMalformed()).isEmpty();
        assertThat(afresh.getStatus().getInput().getLast()).isNull();
        // the same plan's job started again: one restart, in the stream's and its analysis's status
        assertThat(afresh.getStatus().getPipeline().getRestarts()).isEqualTo(1L);
        assertThat(afresh.getStatus().getPipeline().getJobStartTime()).isEqualTo(restarted.toString());
        eventually().until(() -> metric(ns), m -> Long.valueOf(1).equals(m.getStatus().getPipeline().getRestarts()));
    }

    private static KafkaProducer<byte[], byte[]> deadLetterProducer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndPostgres.kafka.bootstrapServers());
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void deadLetter(KafkaProducer<byte[], byte[]> producer, int dlqPartition, String reason, String analysis,
            int partition, long offset) throws Exception {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("input-events.dlq", dlqPartition, null, "{".getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.PARTITION, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        r.headers().add(DeadLetters.OFFSET, Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        if (analysis != null) {
            r.headers().add(DeadLetters.ANALYSIS, analysis.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(r).get(30, TimeUnit.SECONDS);
    }

    private <T extends HasMetadata> void create(String ns, Class<T> type, String yaml) {
        T resource = client.getKubernetesSerialization().unmarshal(yaml, type);
        resource.getMetadata().setNamespace(ns);
        client.resource(resource).create();
    }

    private Optional<PipelinePlan> plan(String ns) {
        return Optional.ofNullable(client.configMaps().inNamespace(ns).withName("shop-events-pipeline-plan").get())
                .map((ConfigMap cm) -> PlanJson.read(cm.getData().get("plan.json")));
    }

    private void setFlinkStatus(String ns, String name, String lifecycle, String job) {
        setFlinkStatus(ns, name, lifecycle, job, null);
    }

    /**
     * As the Flink operator reports a job, with its start time (epoch millis) when given, once the
     * FlinkDeployment carries the plan of the ConfigMap (the operator writes the ConfigMap first).
     */
    private void setFlinkStatus(String ns, String name, String lifecycle, String job, Instant started) {
        eventually().until(() -> Optional.ofNullable(client.resources(FlinkDeployment.class).inNamespace(ns).withName(name).get()),
                fd -> fd.isPresent() && plan(ns).map(p -> p.jobHash().equals(fd.get().getMetadata().getAnnotations().get(Labels.PLAN_HASH)))
                        .orElse(true));
        new FlinkOperatorStatus(client).reconciled(ns, name, lifecycle, job, started);
    }

    private static Condition condition(PulseStatus status, String type) {
        return status.condition(type).orElse(new Condition(type, "Unknown", "Absent", "", null, null));
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200));
    }
}
