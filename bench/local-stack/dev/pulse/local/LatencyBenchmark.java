package dev.pulse.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Event to dashboard (bench/run-latency.sh): the whole local stack ({@code pulse local}'s engines:
 * Kafka, the operator, a pipeline on a Flink MiniCluster, PostgreSQL, the serving API), one
 * EventStream with shop traffic flowing into it, and one Metric (count by {@code platform},
 * 10-second tumbling windows, results every second, no allowed lateness, 2 s out-of-orderness).
 *
 * <p>Every second one probe event is sent with its event time = now and a platform of its own
 * ({@code probe-<n>}); a poller asks the serving API for each open probe's window and platform every
 * 100 ms, as a dashboard would, and records when the count first shows (provisional) and when its
 * window is final. Prints p50/p99 of the provisional latency (from the event time) and of the final
 * latency after the window's end, against their goals: provisional ≤ 5 s, final ≤ allowed lateness +
 * out-of-orderness + 2 s after the window ends.
 *
 * <p>Arguments: {@code [probe seconds] [traffic events/s]}, default 120 and 20.
 */
public final class LatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WINDOW_MS = 10_000;
    private static final long OUT_OF_ORDERNESS_MS = 2_000;
    private static final long LATENESS_MS = 0;

    private LatencyBenchmark() {
    }

    private static final class Probe {
        final String platform;
        final long eventTime;
        long provisionalAt = -1;
        long finalAt = -1;

        Probe(String platform, long eventTime) {
            this.platform = platform;
            this.eventTime = eventTime;
        }

        long windowStart() {
            return Math.floorDiv(eventTime, WINDOW_MS) * WINDOW_MS;
        }
    }

    public static void main(String[] args) throws Exception {
        int probeSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 20;
        Path home = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("pulse-latency-bench");
        Path definitions = Files.createDirectories(work.resolve("definitions"));
        Files.writeString(definitions.resolve("stream.yaml"), """
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: shop-events}
                spec:
                  kafka: {topic: shop-events, partitions: 2}
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts, format: epochMillis}
                  watermark: {maxOutOfOrderness: 2s, idleTimeout: 10s}
                  fields:
                    - {name: platform, type: string}
                  pipeline: {parallelism: 1}
                """);
        Files.writeString(definitions.resolve("metric.yaml"), """
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: probe-count}
                spec:
                  stream: shop-events
                  aggregation: {type: count}
                  dimensions: [platform]
                  window: {type: tumbling, size: 10s}
                  emitEvery: 1s
                  allowedLateness: 0s
                  backfill: {from: none}
                """);
        System.out.printf("event-to-dashboard latency: %d s of probes, shop traffic %.0f events/s; %d cores, %s%n", probeSeconds, rate,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        LocalStack stack = new LocalStack(new StackOptions(home, work.resolve("data"), definitions, rate, false));
        try {
            stack.start();
            Map<String, Object> info = StackFile.read(work.resolve("data")).orElseThrow();
            String serving = String.valueOf(info.get("servingUrl"));
            String token = AccessKey.read(work.resolve("data")).tokenForAllNamespaces();
            String bootstrap = String.valueOf(info.get("kafkaBootstrapServers"));
            run(serving, token, bootstrap, probeSeconds);
        } finally {
            stack.stop();
        }
    }

    private static void run(String serving, String token, String bootstrap, int probeSeconds) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        List<Probe> probes = new ArrayList<>();
        // warm-up: until a probe shows up at all (the pipeline is running and the catalog serves the Metric)
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            long warmUntil = System.currentTimeMillis() + 300_000;
            Probe warm = send(producer, -1);
            while (System.currentTimeMillis() < warmUntil && !visible(http, serving, token, warm, false)) {
                Thread.sleep(500);
                if (System.currentTimeMillis() - warm.eventTime > 20_000) {
                    warm = send(producer, -1);
                }
            }
            System.out.println("warm: the first probe is served; measuring");
            long end = System.currentTimeMillis() + probeSeconds * 1000L;
            long nextSend = System.currentTimeMillis();
            int n = 0;
            long lastWindowEnd = 0;
            while (true) {
                long now = System.currentTimeMillis();
                if (now < end && now >= nextSend) {
                    Probe probe = send(producer, n++);
                    probes.add(probe);
                    lastWindowEnd = probe.windowStart() + WINDOW_MS;
                    nextSend += 1000;
                }
                boolean open = false;
                for (Probe probe : probes) {
                    if (probe.provisionalAt < 0 && visible(http, serving, token, probe, false)) {
                        probe.provisionalAt = System.currentTimeMillis();
                    }
                    if (probe.finalAt < 0 && probe.provisionalAt >= 0 && visible(http, serving, token, probe, true)) {
                        probe.finalAt = System.currentTimeMillis();
                    }
                    open |= probe.finalAt < 0;
                }
                if (now >= end && (!open || now > lastWindowEnd + 60_000)) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        report(probes);
    }

    private static Probe send(KafkaProducer<String, String> producer, int n) {
        long now = System.currentTimeMillis();
        Probe probe = new Probe(n < 0 ? "probe-warm-" + now : "probe-" + n, now);
        String user = "probe-user-" + ThreadLocalRandom.current().nextInt(1_000_000);
        producer.send(new ProducerRecord<>("shop-events", user, "{\"event\":\"probe\",\"user_id\":\"" + user + "\",\"ts\":" + now
                + ",\"platform\":\"" + probe.platform + "\"}"));
        producer.flush();
        return probe;
    }

    /** Whether the probe's window shows its platform with a count (and, if asked, final). */
    private static boolean visible(HttpClient http, String serving, String token, Probe probe, boolean needFinal) throws Exception {
        String from = Instant.ofEpochMilli(probe.windowStart()).toString();
        String to = Instant.ofEpochMilli(probe.windowStart() + WINDOW_MS).toString();
        String url = serving + "api/v1/namespaces/default/metrics/probe-count?from=" + from + "&to=" + to + "&groupBy=platform&top=1000";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return false;
        }
        for (JsonNode point : JSON.readTree(r.body()).path("points")) {
            if (probe.platform.equals(point.path("dimensions").path("platform").asText(null))) {
                return point.path("value").asDouble() >= 1 && (!needFinal || point.path("final").asBoolean());
            }
        }
        return false;
    }

    private static void report(List<Probe> probes) {
        List<Long> provisional = new ArrayList<>();
        List<Long> finals = new ArrayList<>();
        int missing = 0;
        for (Probe probe : probes) {
            if (probe.provisionalAt < 0 || probe.finalAt < 0) {
                missing++;
                continue;
            }
            provisional.add(probe.provisionalAt - probe.eventTime);
            finals.add(probe.finalAt - (probe.windowStart() + WINDOW_MS));
        }
        long finalGoal = LATENESS_MS + OUT_OF_ORDERNESS_MS + 2_000;
        System.out.printf(Locale.ROOT, "probes: %d, never visible or never final: %d%n", probes.size(), missing);
        System.out.printf(Locale.ROOT, "| latency | p50 s | p99 s | max s | goal |%n|---|---:|---:|---:|---|%n");
        System.out.printf(Locale.ROOT, "| provisional, from the event time | %.1f | %.1f | %.1f | p99 ≤ 5 s |%n", pct(provisional, 50), pct(provisional, 99),
                pct(provisional, 100));
        System.out.printf(Locale.ROOT, "| final, after the window's end | %.1f | %.1f | %.1f | p99 ≤ %.0f s (lateness %d s + out-of-orderness %d s + 2 s) |%n",
                pct(finals, 50), pct(finals, 99), pct(finals, 100), finalGoal / 1000.0, LATENESS_MS / 1000, OUT_OF_ORDERNESS_MS / 1000);
    }

    private static double pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1000.0;
    }
}
