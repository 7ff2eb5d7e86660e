package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.testsupport.Checkout;
import dev.pulse.testsupport.KafkaBrokerConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One embedded stack ({@link LocalStack}, traffic off) for an end-to-end test class, and what
 * those tests do with it: produce records and heartbeats to a stream's topic, read the Kubernetes
 * side (resources, the plan ConfigMap) and poll the serving API until it answers what a test
 * computed on its own. Every wait polls with a deadline, never sleeps a fixed time.
 */
final class StackFixtures implements AutoCloseable {
    static final String NS = LocalStack.NAMESPACE;
    /** The actor and event type of the heartbeat records, which no analysis of the tests counts. */
    static final String HEARTBEAT = "heartbeat";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path keepLogsIn;
    private final Path data;
    private final LocalStack stack;
    private final KubernetesClient client;
    private final String servingUrl;
    private final String bootstrap;
    /** A token of the stack that may read every namespace (what {@code pulse local} prints). */
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StackFixtures(Path keepLogsIn, Path data, LocalStack stack, KubernetesClient client, String servingUrl, String bootstrap) {
        this.keepLogsIn = keepLogsIn;
        this.data = data;
        this.stack = stack;
        this.client = client;
        this.servingUrl = servingUrl;
        this.bootstrap = bootstrap;
        try {
            this.token = AccessKey.read(data).tokenForAllNamespaces();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Starts a stack with its data under {@code dir/data}, applying and watching {@code definitions},
     * with no traffic of its own. Its logs are kept in {@code target/stack-logs/<test class>/} when it stops.
     */
    static StackFixtures start(Class<?> test, Path dir, Path definitions) throws Exception {
        Path data = dir.resolve("data");
        LocalStack stack = new LocalStack(new StackOptions(Checkout.root(), data, definitions, 0, false));
        try {
            stack.start();
            Map<String, Object> info = StackFile.read(data).orElseThrow();
            assertThat(info.get("servingUrl")).as("the serving API is built and started").isNotNull();
            return new StackFixtures(Path.of("target", "stack-logs", test.getSimpleName()), data, stack, ApiServer.client(String.valueOf(info.get("apiServer"))),
                    String.valueOf(info.get("servingUrl")), String.valueOf(info.get("kafkaBootstrapServers")));
        } catch (Exception | AssertionError e) {
            stack.stop();
            throw e;
        }
    }

    /** The stack's data directory ({@code .pulse/} of {@code pulse local}). */
    Path data() {
        return data;
    }

    KubernetesClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        stack.stop();
        keepLogs();
        assertThat(StackFile.read(data)).as("stack.json removed on stop").isEmpty();
    }

    /** The stack's logs (operator, serving API, pipelines) outlive its temporary directory, for reading after a failure. */
    private void keepLogs() {
        Path logs = data.resolve("logs");
        try (Stream<Path> files = Files.walk(logs)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = keepLogsIn.resolve(logs.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("cannot keep the stack's logs in " + keepLogsIn + ": " + e);
        }
    }

    // --- Kafka ---

    KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    int partitions(String topic) throws Exception {
        try (Admin admin = KafkaBrokerConfig.admin(bootstrap)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        }
    }

    /**
     * A heartbeat record at event time {@code at} on every partition of {@code topic}: each
     * partition's watermark moves to {@code at} less the stream's out-of-orderness, so the windows
     * ending well before close. Returns how many records it sent (one per partition).
     */
    int sendHeartbeats(String topic, Instant at) throws Exception {
        int partitions = partitions(topic);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int p = 0; p < partitions; p++) {
                producer.send(new ProducerRecord<>(topic, p, HEARTBEAT,
                        "{\"event\":\"" + HEARTBEAT + "\",\"user_id\":\"" + HEARTBEAT + "\",\"ts\":" + at.toEpochMilli() + "}"));
            }
            producer.flush();
        }
        return partitions;
    }

    // --- the Kubernetes side ---

    GenericKubernetesResource resource(PulseKinds.Kind kind, String name) {
        return client.genericKubernetesResources(kind.context()).inNamespace(NS).withName(name).get();
    }

    /** The resources ({@code Kind/name}) not Ready=True, with their reasons; empty when all are Ready. */
    List<String> notReady(List<String> resources) {
        List<String> notReady = new ArrayList<>();
        for (String a : resources) {
            String[] kn = a.split("/");
            GenericKubernetesResource r = resource(PulseKinds.byKind(kn[0]).orElseThrow(), kn[1]);
            if (r == null || !"True".equals(PulseKinds.ready(r))) {
                notReady.add(a + (r == null ? " (missing)" : " (" + PulseKinds.reason(r) + ")"));
            }
        }
        return notReady;
    }

    /** The job state the FlinkDeployment reports ({@code RUNNING}, ...). */
    Object jobState(String pipeline) {
        return PulseKinds.path(PulseKinds.status(resource(PulseKinds.FLINK_DEPLOYMENT, pipeline)), "jobStatus", "state");
    }

    /** The id of the job the FlinkDeployment runs (a new one at every start of the job). */
    Object jobId(String pipeline) {
        return PulseKinds.path(PulseKinds.status(resource(PulseKinds.FLINK_DEPLOYMENT, pipeline)), "jobStatus", "jobId");
    }

    /** Waits until the pipeline runs a job other than {@code jobBefore}, started for {@code plan}. */
    void awaitRestart(String pipeline, Object jobBefore, JsonNode plan, Duration timeout) throws Exception {
        String planHash = jobHash(plan);
        await(pipeline + " restarted with plan " + plan.get("hash").asText(), timeout, () -> {
            Object job = jobId(pipeline);
            Object state = jobState(pipeline);
            String hash = planHash(pipeline);
            boolean done = planHash.equals(hash) && job != null && !job.equals(jobBefore) && "RUNNING".equals(state);
            return done ? null : "plan-hash " + hash + ", job " + job + " " + state;
        });
    }

    /** The FlinkDeployment's plan hash ({@code pulse.dev/plan-hash}): the hash of the plan as its job runs it. */
    String planHash(String pipeline) {
        GenericKubernetesResource fd = resource(PulseKinds.FLINK_DEPLOYMENT, pipeline);
        return fd.getMetadata().getAnnotations().get("pulse.dev/plan-hash");
    }

    /** The plan of the only plan ConfigMap (the tests' definitions have one stream). */
    JsonNode plan() throws IOException {
        List<ConfigMap> plans = client.configMaps().inNamespace(NS).withLabel("pulse.dev/role", "plan").list().getItems();
        assertThat(plans).hasSize(1);
        return JSON.readTree(plans.get(0).getData().get("plan.json"));
    }

    /** The hash of a plan as its job runs it, which the FlinkDeployment carries ({@link PipelinePlan#jobHash()}). */
    static String jobHash(JsonNode plan) {
        return PlanJson.read(plan.toString()).jobHash();
    }

    static List<String> analysisNames(JsonNode plan) {
        List<String> names = new ArrayList<>();
        plan.get("analyses").forEach(a -> names.add(a.get("name").asText()));
        return names;
    }

    /** The analysis of a plan by name, or null. */
    static JsonNode analysis(JsonNode plan, String name) {
        for (JsonNode a : plan.get("analyses")) {
            if (a.get("name").asText().equals(name)) {
                return a;
            }
        }
        return null;
    }

    // --- the serving API ---

    /**
     * Polls a metric query until its points equal {@code expected} (and are all final when
     * {@code mustBeFinal}). The points are keyed {@code windowStart|value|value...}, one value per
     * dimension of the query's {@code groupBy} in its order (a missing value is {@code null}).
     */
    void awaitPoints(String what, String metricAndQuery, Map<String, Double> expected, boolean mustBeFinal, Duration timeout)
            throws Exception {
        List<String> groupBy = Stream.of(metricAndQuery.split("\\?", 2)[1].split("&"))
                .filter(kv -> kv.startsWith("groupBy="))
                .flatMap(kv -> Stream.of(kv.substring("groupBy=".length()).split(",")))
                .filter(d -> !d.isEmpty()).toList();
        await(what + " = the loop's " + expected, timeout, () -> {
            JsonNode points = points(metricAndQuery);
            if (points == null) {
                return "serving API not answering";
            }
            Map<String, Double> got = new TreeMap<>();
            List<String> provisional = new ArrayList<>();
            for (JsonNode p : points) {
                StringBuilder key = new StringBuilder(Instant.parse(p.get("windowStart").asText()).toString());
                for (String dimension : groupBy) {
                    JsonNode d = p.path("dimensions").get(dimension);
                    key.append('|').append(d == null || d.isNull() ? null : d.asText());
                }
                got.put(key.toString(), p.get("value").isNull() ? null : p.get("value").asDouble());
                if (!p.path("final").asBoolean()) {
                    provisional.add(key.toString());
                }
            }
            if (!sameValues(got, expected)) {
                return "served " + got;
            }
            return mustBeFinal && !provisional.isEmpty() ? "not final yet: " + provisional : null;
        });
    }

    private static boolean sameValues(Map<String, Double> got, Map<String, Double> expected) {
        if (!got.keySet().equals(expected.keySet())) {
            return false;
        }
        for (var e : expected.entrySet()) {
            Double g = got.get(e.getKey());
            if (g == null || Math.abs(g - e.getValue()) > 1e-6 * Math.max(1, Math.abs(e.getValue()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Polls a funnel query over {@code [from, to)} grouped by {@code dimension} until its rows equal
     * {@code expected} (key {@code windowStart|value}, the step counts in order) and are all final.
     */
    void awaitFunnel(String funnel, Instant from, Instant to, String dimension, Map<String, List<Long>> expected, Duration timeout)
            throws Exception {
        String query = "from=" + URLEncoder.encode(from.toString(), StandardCharsets.UTF_8) + "&to="
                + URLEncoder.encode(to.toString(), StandardCharsets.UTF_8) + "&groupBy=" + dimension;
        await("final " + funnel + " = the loop's " + expected, timeout, () -> {
            JsonNode body = get("api/v1/namespaces/" + NS + "/funnels/" + funnel + "?" + query);
            if (body == null) {
                return "serving API not answering";
            }
            Map<String, List<Long>> got = new TreeMap<>();
            List<String> provisional = new ArrayList<>();
            for (JsonNode r : body.get("rows")) {
                JsonNode d = r.path("dimensions").get(dimension);
                String key = Instant.parse(r.get("windowStart").asText()) + "|" + (d == null || d.isNull() ? null : d.asText());
                List<Long> steps = new ArrayList<>();
                r.get("steps").forEach(st -> steps.add(st.get("count").asLong()));
                got.put(key, steps);
                if (!r.path("final").asBoolean()) {
                    provisional.add(key);
                }
            }
            if (!got.equals(expected)) {
                return "served " + got;
            }
            return provisional.isEmpty() ? null : "not final yet: " + provisional;
        });
    }

    /** The points of a metric query ({@code name?from=...&to=...}), or null when the API does not answer 200. */
    JsonNode points(String metricAndQuery) {
        String[] parts = metricAndQuery.split("\\?", 2);
        String query = Stream.of(parts[1].split("&")).map(kv -> {
            String[] p = kv.split("=", 2);
            return p[0] + "=" + URLEncoder.encode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8);
        }).collect(Collectors.joining("&"));
        JsonNode body = get("api/v1/namespaces/" + NS + "/metrics/" + parts[0] + "?" + query);
        return body == null ? null : body.get("points");
    }

    /** The JSON answer of a GET on the serving API, or null when it does not answer 200. */
    JsonNode get(String pathAndQuery) {
        HttpResponse<String> r = send(pathAndQuery);
        if (r == null || r.statusCode() != 200) {
            return null;
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** The HTTP status of a GET on the serving API, or -1 when it does not answer. */
    int status(String pathAndQuery) {
        HttpResponse<String> r = send(pathAndQuery);
        return r == null ? -1 : r.statusCode();
    }

    /** The HTTP status of a GET on the serving API with {@code bearer} as its token (none when null), or -1. */
    int status(String pathAndQuery, String bearer) {
        HttpResponse<String> r = send(pathAndQuery, bearer);
        return r == null ? -1 : r.statusCode();
    }

    /** The stack's token signer, as {@code pulse token} reads it. */
    dev.pulse.testsupport.LocalAccessPolicy access() throws IOException {
        return AccessKey.read(data);
    }

    private HttpResponse<String> send(String pathAndQuery) {
        return send(pathAndQuery, token);
    }

    private HttpResponse<String> send(String pathAndQuery, String bearer) {
        URI uri = URI.create(servingUrl + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- waiting ---

    /** Polls every 500 ms until {@code check} returns null (done); fails with its last answer after the timeout. */
    static void await(String what, Duration timeout, CheckedSupplier check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = check.get();
            } catch (RuntimeException e) {
                last = e.toString();
            }
            if (last == null) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + ": not within " + timeout.toSeconds() + " s; last: " + last);
    }

    @FunctionalInterface
    interface CheckedSupplier {
        String get() throws Exception;
    }
}
