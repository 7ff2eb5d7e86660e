package dev.pulse.local;

import static dev.pulse.local.StackFixtures.NS;
import static dev.pulse.local.StackFixtures.analysis;
import static dev.pulse.local.StackFixtures.analysisNames;
import static dev.pulse.local.StackFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A definition change rolled out on the embedded stack while events flow (docs/changes.md): one
 * apply adds a dimension to a metric, changes a funnel's steps and deletes another metric; the new
 * versions compute their history up to the hand-over, the API cuts over to them with every window
 * final and equal to a loop over the records sent, the untouched metric goes on without a gap or
 * a double count, and reverting the metric brings back its earlier version, backfilled only from
 * its latest final window.
 *
 * <p>The stack has its own definitions directory, written here: stream {@code change-events} (3
 * partitions; watermark 30 s out of order) with {@value #PURCHASES} (purchases per minute by
 * platform), {@value #FUNNEL} (view → cart → purchase, 1 h windows), {@value #EVENTS} (every
 * product event per minute) and {@value #VIEWS} (views per minute, deleted by the change).
 *
 * <p>Events are produced by the test on a simulated clock two hours back, each batch within 127 s
 * after a minute boundary and in time order, so (as in {@link LocalStackEndToEndTest}) no
 * partition's watermark (its largest time − 30 s) can pass a batch's first window end + 1 min of
 * allowed lateness: no event is late whatever order the partitions are read in. Each batch starts
 * after the previous heartbeat (event time), so no batch is late either. Users are distinct per
 * batch, and each user's events form at most one funnel attempt, within 35 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DefinitionChangeEndToEndTest {
    private static final String STREAM = "change-events";
    private static final String PIPELINE = STREAM + "-pipeline";
    static final String PURCHASES = "purchases";
    static final String FUNNEL = "checkout-funnel";
    static final String EVENTS = "events-per-minute";
    static final String VIEWS = "views-per-minute";
    private static final String PURCHASES_FILE = "01-metric-purchases.yaml";
    private static final List<String> PLATFORMS = List.of("ios", "android", "web");
    private static final List<String> COUNTRIES = List.of("US", "DE", "FR");
    private static final List<String> STEPS_BEFORE = List.of("view", "cart", "purchase");
    private static final List<String> STEPS_AFTER = List.of("view", "purchase");
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String STREAM_YAML = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: change-events}
            spec:
              kafka: {topic: change-events, partitions: 3, retention: 7d}
              format: json
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              watermark: {maxOutOfOrderness: 30s, idleTimeout: 1m}
              fields:
                - {name: platform, type: string}
                - {name: country, type: string}
              pipeline: {template: default, parallelism: 1}
            """;
    /** A count per 1-minute window: name, event types, dimensions. */
    private static final String COUNT_YAML = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: %s}
            spec:
              stream: change-events
              events: %s
              aggregation: {type: count}
              dimensions: %s
              window: {type: tumbling, size: 1m}
              allowedLateness: 1m
              emitEvery: 2s
            """;
    private static final String FUNNEL_YAML = """
            apiVersion: pulse.dev/v1alpha1
            kind: Funnel
            metadata: {name: checkout-funnel}
            spec:
              stream: change-events
              steps:
            %s
              order: ordered
              conversionWindow: 10m
              countBy: uniques
              dimensions: [platform]
              window: {type: tumbling, size: 1h}
              allowedLateness: 1m
            """;
    @TempDir
    static Path dir;

    private StackFixtures stack;
    private Path defs;

    /** The hour the first two batches fall in, two hours back; batch 3 falls in the next one. */
    private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    private final Instant batch1At = hour.plus(5, ChronoUnit.MINUTES);
    private final Instant heartbeat1 = hour.plus(10, ChronoUnit.MINUTES);
    private final Instant batch2At = hour.plus(11, ChronoUnit.MINUTES);
    private final Instant heartbeat2 = hour.plus(90, ChronoUnit.MINUTES);
    private final Instant batch3At = hour.plus(92, ChronoUnit.MINUTES);
    private final Instant heartbeat3 = hour.plus(110, ChronoUnit.MINUTES);

    private final List<ProductEvent> batch1 = batch("b1", 1, batch1At, 60);
    private final List<ProductEvent> batch2 = batch("b2", 2, batch2At, 60);
    private final List<ProductEvent> batch3 = batch("b3", 3, batch3At, 40);
    /** Records produced to the topic so far, heartbeats included. */
    private long produced;

    /** The versions (semantic hashes) before and after the change. */
    private String purchasesBefore;
    private String eventsBefore;
    private String purchasesAfter;
    private String funnelAfter;
    /** The new versions' hand-over offsets, by partition. */
    private JsonNode handOverAfter;

    @BeforeAll
    void startStack() throws Exception {
        defs = Files.createDirectories(dir.resolve("defs"));
        Files.writeString(defs.resolve("00-eventstream-change-events.yaml"), STREAM_YAML);
        Files.writeString(defs.resolve(PURCHASES_FILE), COUNT_YAML.formatted(PURCHASES, "[purchase]", "[platform]"));
        Files.writeString(defs.resolve("02-funnel-checkout-funnel.yaml"), FUNNEL_YAML.formatted(steps(STEPS_BEFORE)));
        Files.writeString(defs.resolve("03-metric-events-per-minute.yaml"), COUNT_YAML.formatted(EVENTS, "[view, cart, purchase]", "[]"));
        Files.writeString(defs.resolve("04-metric-views-per-minute.yaml"), COUNT_YAML.formatted(VIEWS, "[view]", "[platform]"));
        stack = StackFixtures.start(DefinitionChangeEndToEndTest.class, dir, defs);
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void theFirstBatchIsCountedAndFinalInTheFirstVersion() throws Exception {
        List<String> resources = List.of("EventStream/" + STREAM, "Metric/" + PURCHASES, "Funnel/" + FUNNEL, "Metric/" + EVENTS,
                "Metric/" + VIEWS);
        await("the stream and its analyses Ready=True", Duration.ofSeconds(90), () -> {
            List<String> notReady = stack.notReady(resources);
            return notReady.isEmpty() ? null : "not Ready: " + notReady;
        });
        assertThat(stack.jobState(PIPELINE)).isEqualTo("RUNNING");
        purchasesBefore = analysis(stack.plan(), PURCHASES).get("semanticHash").asText();
        eventsBefore = analysis(stack.plan(), EVENTS).get("semanticHash").asText();

        produce(batch1);
        Map<String, Double> purchases = purchasesBy(batch1, false);
        assertThat(purchases.keySet()).as("windows × platforms of batch 1").hasSizeGreaterThanOrEqualTo(6);
        stack.awaitPoints("provisional purchases of batch 1", purchasesQuery("platform"), purchases, false, Duration.ofSeconds(90));
        // close batch 1's windows: the version before the change has final windows to be caught up with
        produced += stack.sendHeartbeats(STREAM, heartbeat1);
        // the first version is pinned like any other, where the stream's first job starts reading: the topic's
        // start (its group never committed; or no partition at all when the topic did not exist yet): no history
        JsonNode firstPins = analysis(stack.plan(), PURCHASES).get("backfill");
        assertThat(firstPins.path("pinnedAtMs").isNumber()).as("pinned: " + firstPins).isTrue();
        assertThat(firstPins.path("handOver").size()).as("the first version's hand-over " + firstPins).isIn(0, stack.partitions(STREAM));
        firstPins.path("handOver").forEach(offset -> assertThat(offset.asLong()).as("hand-over " + firstPins).isZero());
        stack.awaitPoints("final purchases of batch 1", purchasesQuery("platform"), purchases, true, Duration.ofSeconds(60));
        stack.awaitPoints("final events-per-minute of batch 1", eventsQuery(), eventsPerMinute(batch1), true, Duration.ofSeconds(30));
        awaitServingVersion(purchasesBefore, Duration.ofSeconds(30));
    }

    @Test
    @Order(2)
    void oneApplyRollsOutTheChangeAndCutsOver() throws Exception {
        String hashBefore = stack.planHash(PIPELINE);
        Object jobBefore = stack.jobId(PIPELINE);
        // what the metric's Ready condition says while the change rolls out, sampled from the apply to the cutover
        Set<String> seen = ConcurrentHashMap.newKeySet();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleWithFixedDelay(() -> {
            try {
                GenericKubernetesResource m = stack.resource(PulseKinds.METRIC, PURCHASES);
                Object backfill = PulseKinds.path(PulseKinds.status(m), "backfill");
                seen.add(PulseKinds.ready(m) + "/" + PulseKinds.reason(m) + (backfill == null ? ""
                        : " backfill " + PulseKinds.path(backfill, "version") + " handOver " + offsets(PulseKinds.path(backfill, "handOver"))));
            } catch (RuntimeException e) {
                seen.add(e.toString());
            }
        }, 0, 250, TimeUnit.MILLISECONDS);
        try {
            rollOutTheChange(hashBefore, jobBefore);
        } finally {
            sampler.shutdownNow();
        }
        assertThat(eventMessages("Metric", PURCHASES, "CutOver"))
                .containsExactly("the API now answers from version " + purchasesAfter + " (was " + purchasesBefore + ")");
        List<String> rollOuts = eventMessages("EventStream", STREAM, "PlanChanged").stream()
                .filter(m -> m.contains("NewVersion") || m.contains("Removed")).toList();
        assertThat(rollOuts).as("one roll-out for the one apply").hasSize(1);
        assertThat(rollOuts.get(0)).contains("Metric " + PURCHASES + ": NewVersion (dimensions)", "Funnel " + FUNNEL + ": NewVersion (steps)",
                "Metric " + VIEWS + ": Removed", "pipeline " + PIPELINE + ": Restarted");
        // while it computed its history: not Ready, status.backfill with the version and the plan's hand-over
        String backfilling = " backfill " + purchasesAfter + " handOver " + offsets(JSON.convertValue(handOverAfter, Map.class));
        assertThat(seen).as("Ready and status.backfill of " + PURCHASES + " while the change rolled out")
                .anyMatch(s -> s.startsWith("False/") && s.endsWith(backfilling));
    }

    private void rollOutTheChange(String hashBefore, Object jobBefore) throws Exception {
        // one apply: a dimension more, other funnel steps, a metric deleted
        Files.writeString(defs.resolve(PURCHASES_FILE), COUNT_YAML.formatted(PURCHASES, "[purchase]", "[platform, country]"));
        Files.writeString(defs.resolve("02-funnel-checkout-funnel.yaml"), FUNNEL_YAML.formatted(steps(STEPS_AFTER)));
        Files.delete(defs.resolve("04-metric-views-per-minute.yaml"));
        // batch 2 while the change rolls out: its first half before the hand-over is pinned, the rest after
        int half = batch2.size() / 2;
        produce(batch2.subList(0, half));
        long beforeHandOver = produced;

        JsonNode plan = awaitPinnedPlan("a new version", version -> !version.equals(purchasesBefore));
        produce(batch2.subList(half, batch2.size()));
        JsonNode purchases = analysis(plan, PURCHASES);
        JsonNode funnel = analysis(plan, FUNNEL);
        purchasesAfter = purchases.get("semanticHash").asText();
        funnelAfter = funnel.get("semanticHash").asText();
        assertThat(analysisNames(plan)).containsExactlyInAnyOrder(PURCHASES, FUNNEL, EVENTS);
        List<String> dimensions = new ArrayList<>();
        purchases.get("dimensions").forEach(d -> dimensions.add(d.asText()));
        assertThat(dimensions).containsExactlyInAnyOrder("platform", "country");
        JsonNode handOver = purchases.get("backfill").get("handOver");
        handOverAfter = handOver;
        assertThat(handOver.size()).as("a hand-over offset per partition").isEqualTo(stack.partitions(STREAM));
        long handOverSum = 0;
        for (JsonNode offset : handOver) {
            handOverSum += offset.asLong();
        }
        assertThat(handOverSum).as("the hand-over: the topic's end offsets when the change was applied, 10 s after the files changed")
                .isEqualTo(beforeHandOver);
        assertThat(funnel.get("backfill").get("handOver")).as("versions applied together share the hand-over").isEqualTo(handOver);
        assertThat(purchases.get("backfill").get("mode").asText()).isEqualTo("earliest");

        // the job without the version before the change runs first: that version's last final window stays batch 1's
        stack.awaitRestart(PIPELINE, jobBefore, plan, Duration.ofSeconds(60));
        // close every window of the first hour (the funnel's: 1 h + 10 min conversion + 1 min lateness)
        produced += stack.sendHeartbeats(STREAM, heartbeat2);
        assertThat(plan.get("hash").asText()).isNotEqualTo(hashBefore);
        awaitServingVersion(purchasesAfter, Duration.ofSeconds(120));
    }

    @Test
    @Order(3)
    void theUntouchedMetricKeepsCountingWithoutGapOrDoubleCount() throws Exception {
        // its state went through the restart with its read offsets
        stack.awaitPoints(EVENTS + " over batches 1 and 2", eventsQuery(), eventsPerMinute(concat(batch1, batch2)), true,
                Duration.ofSeconds(30));
        assertThat(analysis(stack.plan(), EVENTS).get("semanticHash").asText()).isEqualTo(eventsBefore);
        // the stack's serving API runs with auth on: a token for its namespace reads it, one for another namespace
        // gets 403 and a catalog without it, no token gets 401 (the stack's printed token is what the helpers send)
        String query = "api/v1/namespaces/" + NS + "/metrics/" + EVENTS + "?groupBy=";
        assertThat(stack.status(query, stack.access().tokenForNamespace(NS))).isEqualTo(200);
        assertThat(stack.status(query, stack.access().tokenForNamespace("other-team"))).isEqualTo(403);
        assertThat(stack.status(query, null)).isEqualTo(401);
        assertThat(stack.status("api/v1/catalog", null)).isEqualTo(401);
        assertThat(stack.status("q/health/ready", null)).isEqualTo(200);
    }

    @Test
    @Order(4)
    void theDeletedMetricIsRetiredAndThePipelineRunsOn() throws Exception {
        assertThat(stack.resource(PulseKinds.METRIC, VIEWS)).isNull();
        assertThat(analysisNames(stack.plan())).doesNotContain(VIEWS);
        assertThat(stack.jobState(PIPELINE)).isEqualTo("RUNNING");
        await(VIEWS + " retired in the serving catalog", Duration.ofSeconds(30), () -> {
            List<String> live = catalog().stream().filter(a -> a.get("name").asText().equals(VIEWS))
                    .map(a -> a.get("version").asText() + " " + a.get("status").asText()).filter(s -> !s.endsWith(" retired")).toList();
            return live.isEmpty() ? null : "catalog rows of " + VIEWS + " not retired: " + live;
        });
        assertThat(stack.status("api/v1/namespaces/" + NS + "/metrics/" + VIEWS + "?groupBy=")).as("a query of the deleted metric")
                .isEqualTo(404);
    }

    @Test
    @Order(5)
    void everyWindowIsServedFromTheNewVersions() throws Exception {
        List<ProductEvent> sent = concat(batch1, batch2);
        // windows before the change too: the new version computed them from the topic's history
        stack.awaitPoints(PURCHASES + " by platform and country", purchasesQuery("platform,country"), purchasesBy(sent, true), true,
                Duration.ofSeconds(60));
        assertThat(catalogStatus(PURCHASES, purchasesAfter)).isEqualTo("active");
        assertThat(catalogStatus(PURCHASES, purchasesBefore)).isEqualTo("retired");
        stack.awaitFunnel(FUNNEL, hour, hour.plusMillis(HOUR), "platform", funnel(sent, STEPS_AFTER), Duration.ofSeconds(60));
        assertThat(catalogStatus(FUNNEL, funnelAfter)).isEqualTo("active");
    }

    @Test
    @Order(6)
    void goingBackServesTheRetainedVersionBackfilledFromItsLatestFinalWindow() throws Exception {
        Object jobBefore = stack.jobId(PIPELINE);
        Files.writeString(defs.resolve(PURCHASES_FILE), COUNT_YAML.formatted(PURCHASES, "[purchase]", "[platform]"));
        JsonNode plan = awaitPinnedPlan("version " + purchasesBefore, purchasesBefore::equals);
        // it resumes where its final windows end (batch 1's last window), not from the earliest record
        JsonNode backfill = analysis(plan, PURCHASES).get("backfill");
        long lastFinalEnd = purchasesBy(batch1, false).keySet().stream().mapToLong(k -> Instant.parse(k.split("\\|")[0]).toEpochMilli())
                .max().orElseThrow() + MINUTE;
        assertThat(backfill.get("mode").asText()).isEqualTo("time");
        assertThat(backfill.get("fromMs").asLong()).isEqualTo(lastFinalEnd);

        // batch 3 after the restart: the version left running before has no window of it
        stack.awaitRestart(PIPELINE, jobBefore, plan, Duration.ofSeconds(60));
        produce(batch3);
        produced += stack.sendHeartbeats(STREAM, heartbeat3);
        awaitServingVersion(purchasesBefore, Duration.ofSeconds(120));
        assertThat(eventMessages("Metric", PURCHASES, "CutOver"))
                .contains("the API now answers from version " + purchasesBefore + " (was " + purchasesAfter + ")");
        List<ProductEvent> sent = concat(batch1, concat(batch2, batch3));
        stack.awaitPoints(PURCHASES + " by platform over every batch", "purchases?from=" + hour + "&to=" + hour.plusMillis(2 * HOUR)
                + "&groupBy=platform", purchasesBy(sent, false), true, Duration.ofSeconds(60));
        stack.awaitPoints(EVENTS + " over every batch", EVENTS + "?from=" + hour + "&to=" + hour.plusMillis(2 * HOUR) + "&groupBy=",
                eventsPerMinute(sent), true, Duration.ofSeconds(30));
        assertThat(catalogStatus(PURCHASES, purchasesAfter)).isEqualTo("retired");
        assertThat(stack.jobState(PIPELINE)).isEqualTo("RUNNING");
    }

    // --- the events ---

    /** One product event; {@code country} null leaves the field out. */
    record ProductEvent(String user, String type, long ts, String platform, String country) {
        String json() {
            return "{\"event\":\"" + type + "\",\"user_id\":\"" + user + "\",\"ts\":" + ts + ",\"platform\":\"" + platform + "\""
                    + (country == null ? "" : ",\"country\":\"" + country + "\"") + "}";
        }
    }

    /**
     * {@code users} users whose first event is within 90 s after {@code at} + 2 s and the last
     * within 35 s after it: view → cart (→ purchase), view → purchase, a view alone or a purchase
     * alone; one platform and country (sometimes none) per user. In time order.
     */
    private static List<ProductEvent> batch(String prefix, long seed, Instant at, int users) {
        Random random = new Random(seed);
        List<ProductEvent> out = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String user = prefix + "-u" + i;
            String platform = PLATFORMS.get(random.nextInt(PLATFORMS.size()));
            String country = random.nextInt(6) == 0 ? null : COUNTRIES.get(random.nextInt(COUNTRIES.size()));
            long t = at.toEpochMilli() + 2000 + random.nextInt(90_000);
            int path = random.nextInt(10);
            if (path < 9) {
                out.add(new ProductEvent(user, "view", t, platform, country));
            }
            if (path < 5) {
                out.add(new ProductEvent(user, "cart", t + 5000 + random.nextInt(10_000), platform, country));
                if (random.nextBoolean()) {
                    out.add(new ProductEvent(user, "purchase", t + 20_000 + random.nextInt(15_000), platform, country));
                }
            } else if (path < 8 || path == 9) {
                out.add(new ProductEvent(user, "purchase", t + 5000 + random.nextInt(15_000), platform, country));
            }
        }
        out.sort(Comparator.comparingLong(ProductEvent::ts));
        return out;
    }

    /** Produces the events in time order, keyed by user (a user's events stay in one partition, in order). */
    private void produce(List<ProductEvent> events) {
        try (KafkaProducer<String, String> producer = stack.producer()) {
            for (ProductEvent e : events) {
                producer.send(new ProducerRecord<>(STREAM, e.user(), e.json()));
            }
            producer.flush();
        }
        produced += events.size();
    }

    // --- the independent computation ---

    /** Purchases per [minute, platform] or [minute, platform, country] (a missing country groups as null). */
    private static Map<String, Double> purchasesBy(List<ProductEvent> events, boolean byCountry) {
        Map<String, Double> counts = new TreeMap<>();
        for (ProductEvent e : events) {
            if (e.type().equals("purchase")) {
                String key = Instant.ofEpochMilli(e.ts() / MINUTE * MINUTE) + "|" + e.platform() + (byCountry ? "|" + e.country() : "");
                counts.merge(key, 1.0, Double::sum);
            }
        }
        return counts;
    }

    /** Product events (heartbeats aside) per minute. */
    private static Map<String, Double> eventsPerMinute(List<ProductEvent> events) {
        Map<String, Double> counts = new TreeMap<>();
        for (ProductEvent e : events) {
            counts.merge(Instant.ofEpochMilli(e.ts() / MINUTE * MINUTE).toString(), 1.0, Double::sum);
        }
        return counts;
    }

    /**
     * The funnel over {@code steps} (ordered, counted by uniques) per [hour, platform] of each
     * user's first step: every user here makes at most one attempt, a view followed within 35 s by
     * its other events, so a user's level is how far its events walk the steps in order.
     */
    private static Map<String, List<Long>> funnel(List<ProductEvent> events, List<String> steps) {
        Map<String, List<ProductEvent>> byUser = new TreeMap<>();
        events.forEach(e -> byUser.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e));
        Map<String, long[]> rows = new TreeMap<>();
        for (List<ProductEvent> userEvents : byUser.values()) {
            int level = 0;
            String row = null;
            for (ProductEvent e : userEvents) {
                if (level == 0 && e.type().equals(steps.get(0))) {
                    level = 1;
                    row = Instant.ofEpochMilli(e.ts() / HOUR * HOUR) + "|" + e.platform();
                } else if (level > 0 && level < steps.size() && e.type().equals(steps.get(level))) {
                    level++;
                }
            }
            for (int k = 0; k < level; k++) {
                rows.computeIfAbsent(row, r -> new long[steps.size()])[k]++;
            }
        }
        Map<String, List<Long>> out = new TreeMap<>();
        rows.forEach((row, counts) -> out.put(row, Arrays.stream(counts).boxed().toList()));
        return out;
    }

    // --- queries ---

    private String purchasesQuery(String groupBy) {
        return PURCHASES + "?from=" + hour + "&to=" + hour.plusMillis(HOUR) + "&groupBy=" + groupBy;
    }

    private String eventsQuery() {
        return EVENTS + "?from=" + hour + "&to=" + hour.plusMillis(HOUR) + "&groupBy=";
    }

    /** Waits until the metric's {@code status.servingVersion} is {@code version}. */
    private void awaitServingVersion(String version, Duration timeout) throws Exception {
        await(PURCHASES + " served from version " + version, timeout, () -> {
            Object serving = PulseKinds.path(PulseKinds.status(stack.resource(PulseKinds.METRIC, PURCHASES)), "servingVersion");
            return version.equals(serving) ? null : "status.servingVersion " + serving;
        });
    }

    /** Waits for a plan whose metric has a version {@code wanted} accepts, pinned (a hand-over); returns the plan. */
    private JsonNode awaitPinnedPlan(String what, Predicate<String> wanted) throws Exception {
        AtomicReference<JsonNode> pinned = new AtomicReference<>();
        await("a plan with " + what + " of " + PURCHASES + " pinned", Duration.ofSeconds(60), () -> {
            JsonNode plan = stack.plan();
            JsonNode purchases = analysis(plan, PURCHASES);
            if (purchases == null || !wanted.test(purchases.get("semanticHash").asText())
                    || purchases.path("backfill").path("handOver").isMissingNode()) {
                return "plan: " + plan;
            }
            pinned.set(plan);
            return null;
        });
        return pinned.get();
    }

    /** The serving catalog's rows ({@code GET /api/v1/catalog}). */
    private List<JsonNode> catalog() {
        JsonNode body = stack.get("api/v1/catalog");
        assertThat(body).as("the catalog answer").isNotNull();
        List<JsonNode> out = new ArrayList<>();
        body.get("analyses").forEach(out::add);
        return out;
    }

    /** The catalog status of one version of an analysis, or null when the catalog has no such row. */
    private String catalogStatus(String name, String version) {
        return catalog().stream().filter(a -> a.get("name").asText().equals(name) && a.get("version").asText().equals(version))
                .map(a -> a.get("status").asText()).findFirst().orElse(null);
    }

    /** The messages of the Events with this reason about one object, oldest first. */
    private List<String> eventMessages(String kind, String name, String reason) {
        return stack.client().v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName())
                        && reason.equals(e.getReason()))
                .sorted(Comparator.comparing(e -> e.getFirstTimestamp()))
                .map(e -> e.getMessage()).toList();
    }

    /** Offsets by partition, as text: {@code {0=12, 1=40, 2=7}}. */
    private static String offsets(Object byPartition) {
        Map<String, String> out = new TreeMap<>();
        if (byPartition instanceof Map<?, ?> m) {
            m.forEach((p, o) -> out.put(String.valueOf(p), String.valueOf(o)));
        }
        return out.toString();
    }

    private static String steps(List<String> events) {
        StringBuilder out = new StringBuilder();
        for (String e : events) {
            out.append("    - {name: ").append(e).append(", events: [").append(e).append("]}\n");
        }
        return out.toString().stripTrailing();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
