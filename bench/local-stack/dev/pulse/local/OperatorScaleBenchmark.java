package dev.pulse.local;

import dev.pulse.testsupport.ChildJvm;
import dev.pulse.testsupport.ConflictRetry;
import dev.pulse.testsupport.EmbeddedKafka;
import dev.pulse.testsupport.TopicController;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * The operator at scale (bench/run-operator.sh): the real operator (a child JVM, as in
 * {@code pulse local}) against the in-memory Kubernetes API, a real Kafka broker and PostgreSQL, the
 * Strimzi stand-in, and a Flink stand-in that runs no job: it writes a FlinkDeployment's status as
 * the Flink operator does once the job of a new spec is RUNNING ({@code observedGeneration},
 * {@code lastReconciledSpec}), or SUSPENDED for a suspended spec, and counts each new running spec as
 * one job (re)start.
 *
 * <p>Applies {@code streams} EventStreams and {@code metrics} Metrics spread over them
 * ({@code backfill.from: none}), and measures the time from the last apply until every Metric is
 * {@code Ready=True} for its current generation; the operator's resident memory after a minute of
 * idling; then changes {@code changes} Metrics at once (a new filter, so a new version each) and
 * counts the job restarts per stream until every changed Metric is Ready again.
 *
 * <p>Run from the local module's classpath (the package is local's: it uses the stack's parts).
 * Arguments: {@code [metrics] [streams] [changes]}, default 1000 10 100.
 */
public final class OperatorScaleBenchmark {
    private static final String NS = LocalStack.NAMESPACE;

    private OperatorScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int metrics = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int streams = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int changes = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        Path home = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("pulse-operator-bench");
        Progress quiet = new Progress(new PrintStream(new ByteArrayOutputStream()));
        System.out.printf("operator scale benchmark: %d Metrics over %d EventStreams, %d changed at once; %d cores, %s%n",
                metrics, streams, changes, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), Ports.free(), Ports.free());
                Postgres postgres = Postgres.start(work.resolve("postgres"), Ports.free());
                ApiServer api = ApiServer.start(Ports.free(), home.resolve("crds"));
                TopicController topics = new TopicController(api.client(), kafka.bootstrapServers(), quiet).start();
                FlinkStandIn flink = new FlinkStandIn(api.client(), quiet)) {
            ChildServices services = new ChildServices(home, work.resolve("logs"), postgres.jdbcEnvironment());
            Files.createDirectories(work.resolve("logs"));
            ChildJvm operator = services.startOperator(api.url(), NS, kafka.bootstrapServers(), Ports.free());
            System.out.printf("Kubernetes API %s, operator log %s%n", api.url(), operator.log());
            try {
                run(api.client(), operator, flink, metrics, streams, changes);
            } finally {
                operator.stop(20);
            }
        }
    }

    private static void run(KubernetesClient client, ChildJvm operator, FlinkStandIn flink, int metrics, int streams, int changes)
            throws Exception {
        long applyStart = System.nanoTime();
        for (int s = 0; s < streams; s++) {
            client.resource(resource(streamYaml(s))).create();
        }
        ExecutorService appliers = Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> applied = new ArrayList<>();
        for (int m = 0; m < metrics; m++) {
            int i = m;
            applied.add(appliers.submit(() -> client.resource(resource(metricYaml(i, i % streams, "purchase"))).create()));
        }
        for (var f : applied) {
            f.get();
        }
        long lastApply = System.nanoTime();
        System.out.printf("applied %d EventStreams and %d Metrics in %.1f s%n", streams, metrics, seconds(lastApply - applyStart));
        awaitReady(client, metrics, lastApply, "all Metrics Ready");
        long rssBusy = ChildJvm.peakRssMb(operator.pid());
        Thread.sleep(60_000);
        System.out.printf("operator resident memory after 60 s idle: %d MiB (VmRSS; peak so far %d MiB)%n", ChildJvm.rssMb(operator.pid()), rssBusy);

        Map<String, Integer> before = flink.restarts();
        long changeStart = System.nanoTime();
        List<java.util.concurrent.Future<?>> edits = new ArrayList<>();
        for (int c = 0; c < changes; c++) {
            String name = metricName(c * (metrics / changes) + c % streams); // spread over the streams
            edits.add(appliers.submit(() -> ConflictRetry.edit(
                    client.genericKubernetesResources(PulseKinds.METRIC.context()).inNamespace(NS).withName(name), r -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> spec = (Map<String, Object>) r.getAdditionalProperties().get("spec");
                        spec.put("events", List.of("purchase", "refund"));
                    })));
        }
        for (var f : edits) {
            f.get();
        }
        appliers.shutdown();
        long lastChange = System.nanoTime();
        System.out.printf("changed %d Metrics in %.1f s%n", changes, seconds(lastChange - changeStart));
        awaitReady(client, metrics, lastChange, "all Metrics Ready after the changes");
        Thread.sleep(15_000); // a restart that would follow late still counts
        Map<String, Integer> after = flink.restarts();
        Map<String, Integer> delta = after.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue() - before.getOrDefault(e.getKey(), 0), (a, b) -> a, java.util.TreeMap::new));
        System.out.printf("job restarts per stream for %d changes: %s (total %d)%n", changes, delta,
                delta.values().stream().mapToInt(Integer::intValue).sum());
    }

    /** Polls until every Metric is Ready=True with observedGeneration = generation; prints the time since {@code since}. */
    private static void awaitReady(KubernetesClient client, int metrics, long since, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("bench.readyTimeoutSeconds", 900));
        int lastReady = -1;
        long lastReport = 0;
        while (System.nanoTime() < deadline) {
            List<GenericKubernetesResource> all = client.genericKubernetesResources(PulseKinds.METRIC.context()).inNamespace(NS).list().getItems();
            int ready = (int) all.stream().filter(OperatorScaleBenchmark::readyForGeneration).count();
            if (ready == metrics) {
                System.out.printf("%s %.1f s after the last apply%n", what, seconds(System.nanoTime() - since));
                return;
            }
            if (ready != lastReady && System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                Map<String, Long> why = all.stream().filter(r -> !readyForGeneration(r)).collect(Collectors.groupingBy(
                        OperatorScaleBenchmark::readyReason, java.util.TreeMap::new, Collectors.counting()));
                System.out.printf("  %d of %d Ready after %.0f s; the others: %s%n", ready, metrics, seconds(System.nanoTime() - since), why);
                lastReady = ready;
                lastReport = System.nanoTime();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(what + ": not within " + Long.getLong("bench.readyTimeoutSeconds", 900) + " s");
    }

    /** The Ready condition's reason, "generation" while the status describes an older generation, "none" without one. */
    private static String readyReason(GenericKubernetesResource r) {
        Map<?, ?> ready = readyCondition(r);
        return ready == null ? "none" : String.valueOf(ready.get("reason"));
    }

    private static boolean readyForGeneration(GenericKubernetesResource r) {
        Map<?, ?> ready = readyCondition(r);
        return ready != null && "True".equals(ready.get("status"));
    }

    /** The Ready condition when the status describes the current generation, else a stand-in reason "generation". */
    private static Map<?, ?> readyCondition(GenericKubernetesResource r) {
        Object observed = PulseKinds.path(r.getAdditionalProperties().get("status"), "observedGeneration");
        if (!(observed instanceof Number n) || n.longValue() != r.getMetadata().getGeneration()) {
            return Map.of("reason", "generation", "status", "Unknown");
        }
        Object conditions = PulseKinds.path(r.getAdditionalProperties().get("status"), "conditions");
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))) {
                    return m;
                }
            }
        }
        return null;
    }

    private static String streamYaml(int s) {
        return """
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: stream-%02d, namespace: %s}
                spec:
                  kafka: {cluster: analytics, topic: bench-stream-%02d, partitions: 2}
                  format: json
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts, format: epochMillis}
                  fields:
                    - {name: platform, type: string}
                    - {name: amount, type: double}
                """.formatted(s, NS, s);
    }

    private static String metricName(int m) {
        return "metric-%04d".formatted(m);
    }

    private static String metricYaml(int m, int s, String events) {
        return """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: %s, namespace: %s}
                spec:
                  stream: stream-%02d
                  events: [%s]
                  aggregation: {type: %s}
                  dimensions: [platform]
                  window: {type: tumbling, size: 1m}
                  backfill: {from: none}
                """.formatted(metricName(m), NS, s, events, m % 2 == 0 ? "count" : "sum, field: amount");
    }

    private static GenericKubernetesResource resource(String yaml) {
        return Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /**
     * The Flink operator's part without jobs: each new spec of a FlinkDeployment is "deployed" at once
     * (status RUNNING for that generation and spec) and counted as one job restart.
     */
    static final class FlinkStandIn implements AutoCloseable {
        private final FlinkDeploymentStatus status;
        private final SharedIndexInformer<FlinkDeployment> informer;
        private final Map<String, Long> deployedGeneration = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> restarts = new ConcurrentHashMap<>();
        private final ExecutorService worker = Executors.newSingleThreadExecutor();
        private final java.util.concurrent.ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
        private final KubernetesClient client;

        FlinkStandIn(KubernetesClient client, Progress progress) {
            this.client = client;
            this.status = new FlinkDeploymentStatus(client, progress);
            informer = client.resources(FlinkDeployment.class).inAnyNamespace().runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(FlinkDeployment fd) {
                    worker.submit(() -> deploy(fd));
                }

                @Override
                public void onUpdate(FlinkDeployment old, FlinkDeployment fd) {
                    worker.submit(() -> deploy(fd));
                }

                @Override
                public void onDelete(FlinkDeployment fd, boolean unknownFinalState) {
                }
            });
            informer.run();
        }

        private void deploy(FlinkDeployment fd) {
            String key = fd.getMetadata().getNamespace() + "/" + fd.getMetadata().getName();
            Long generation = fd.getMetadata().getGeneration();
            if (generation.equals(deployedGeneration.get(key))) {
                return;
            }
            if (!written(key, fd)) {
                return;
            }
            deployedGeneration.put(key, generation);
        }

        /**
         * Writes the status for {@code fd}'s generation; false (and tried again in a second) when the
         * write lost every conflict with the operator's own writes to the FlinkDeployment.
         */
        private boolean written(String key, FlinkDeployment fd) {
            FlinkJob job = new FlinkJob();
            job.reconciled = fd;
            job.jobId = Long.toHexString(System.nanoTime());
            job.startedAt = System.currentTimeMillis();
            boolean suspended = fd.getSpec().getJob() != null
                    && fd.getSpec().getJob().getState() == org.apache.flink.kubernetes.operator.api.spec.JobState.SUSPENDED;
            status.write(fd, suspended ? "SUSPENDED" : "STABLE", suspended ? "FINISHED" : "RUNNING", null, job);
            FlinkDeployment now = client.resources(FlinkDeployment.class).inNamespace(fd.getMetadata().getNamespace())
                    .withName(fd.getMetadata().getName()).get();
            if (now == null || now.getStatus() == null || !fd.getMetadata().getGeneration().equals(now.getStatus().getObservedGeneration())) {
                retries.schedule(() -> worker.submit(() -> deploy(informer.getStore().getByKey(key) == null ? fd : informer.getStore().getByKey(key))),
                        1, TimeUnit.SECONDS);
                return false;
            }
            if (!suspended) {
                restarts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            }
            return true;
        }

        /** Deployments (first start included) per FlinkDeployment so far. */
        Map<String, Integer> restarts() {
            return restarts.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
        }

        @Override
        public void close() {
            informer.close();
            retries.shutdownNow();
            worker.shutdownNow();
        }
    }
}
