package dev.pulse.operator.health;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.render.TopicRenderer;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import dev.pulse.operator.serving.ServingDatabase;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The periodic health probes: every {@code pulse.probes.interval}, for each EventStream the
 * operator has compiled, one Kafka admin round (the lag of each of its pipelines' consumer groups)
 * and one catalog query (the freshness of each of its analyses); and for each stream whose pipeline
 * has started, the new records of its dead-letter topic ({@link DeadLetterReader}). The latest round
 * of each stream is kept here; listeners (the analysis reconcilers' event sources, the stream
 * reconciler's for changed input counts) are told after each round and turn it into status. The
 * catalog is read on its own thread beside the round: a round waits for it at most half an interval
 * (and the probe timeout), so a PostgreSQL that hangs makes freshness stale, never the lag.
 */
@ApplicationScoped
public class StreamProbes {
    private static final Logger LOG = Logger.getLogger(StreamProbes.class);

    /**
     * What is probed for one stream.
     *
     * @param analyses {@link StreamHealth#key} of every analysis in its plans
     */
    public record Target(String namespace, String stream, String bootstrap, String topic, List<String> groups, List<String> analyses,
            Map<String, History> histories) {
        String key() {
            return namespace + "/" + stream;
        }
    }

    /** Where a stream's dead-letter records are and since when they count. */
    record InputTarget(String bootstrap, String topic, Instant since) {
    }

    /** One history read of a stream's plans: its consumer group, hand-over and start (Long.MIN_VALUE: earliest). */
    record History(String group, Map<Integer, Long> handOver, long startMs) {
    }

    /** How long after Kafka failed to give a hand-over the operator waits before it asks again. */
    private static final Duration HAND_OVER_RETRY = Duration.ofSeconds(30);

    private final PulseConfig config;
    private final Clock clock;
    private final Map<String, Instant> handOverFailures = new ConcurrentHashMap<>();
    private final TopicRenderer topics;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final Map<String, StreamHealth> latest = new ConcurrentHashMap<>();
    private final List<Consumer<StreamHealth>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, InputTarget> inputTargets = new ConcurrentHashMap<>();
    private final Map<String, InputReading> inputs = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, InputReading>> inputListeners = new CopyOnWriteArrayList<>();
    private DeadLetterReader deadLetters;
    private volatile IndexerResourceCache<EventStream> streams;
    private LagProbe lag;
    private ScheduledExecutorService scheduler;
    /** Reads the serving catalog beside the rounds, so a hung database never holds the lag (null: read in the round). */
    private ExecutorService catalogReader;
    private Future<?> catalogInFlight;
    private Instant catalogStarted;
    private volatile CatalogRead lastCatalog;

    /** One read of the serving catalog: freshness by stream key, and the streams it could not read, with why. */
    record CatalogRead(Map<String, Map<String, FreshnessReading>> freshness, Map<String, String> errors) {
    }

    private final ServingDatabase serving;

    public StreamProbes(PulseConfig config, Clock clock, ServingDatabase serving) {
        this.serving = serving;
        this.config = config;
        this.clock = clock;
        this.topics = new TopicRenderer(config.renderSettings());
    }

    void start(@Observes StartupEvent e) {
        lag = new LagProbe(clock, config.probes().timeout());
        deadLetters = new DeadLetterReader(clock, config.probes().timeout());
        if (!config.probes().enabled()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pulse-probes");
            t.setDaemon(true);
            return t;
        });
        catalogReader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pulse-probes-catalog");
            t.setDaemon(true);
            return t;
        });
        long every = config.probes().interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::roundSafely, Math.min(every, 5000), every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (catalogReader != null) {
            catalogReader.shutdownNow();
        }
        if (lag != null) {
            lag.close();
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
    }

    /** The EventStream informer cache: a stream no longer in it is no longer probed. */
    public void watch(IndexerResourceCache<EventStream> cache) {
        this.streams = cache;
    }

    /** Probes the stream from now on with what its current plans say (topic, consumer groups, analyses). */
    public void track(EventStream stream, List<PipelinePlan> plans) {
        if (plans.isEmpty()) {
            return;
        }
        Set<String> groups = new LinkedHashSet<>();
        List<String> analyses = new ArrayList<>();
        Map<String, History> histories = new LinkedHashMap<>();
        for (PipelinePlan p : plans) {
            groups.add(p.stream().consumerGroup());
            p.analyses().forEach(a -> analyses.add(StreamHealth.key(a.kind().name(), a.name())));
            for (AnalysisPlan a : p.analyses()) {
                BackfillPlan b = a.backfill();
                if (b != null && b.readsHistory()) {
                    History before = histories.get(b.historyId());
                    long start = before == null ? b.historyStartMs() : Math.min(before.startMs(), b.historyStartMs());
                    histories.put(b.historyId(), new History(b.historyGroup(p.stream()), b.handOver(), start));
                }
            }
        }
        Target t = new Target(stream.getMetadata().getNamespace(), stream.getMetadata().getName(),
                bootstrap(stream), plans.get(0).stream().topic(), List.copyOf(groups), List.copyOf(analyses), Map.copyOf(histories));
        Target before = targets.put(t.key(), t);
        if (before != null && !before.topic().equals(t.topic())) {
            lag.forget(before.topic());
        }
    }

    /** The Kafka address the operator reads the stream's topic at. */
    public String bootstrap(EventStream stream) {
        String pattern = config.probes().kafkaBootstrapServers().orElse(config.kafka().bootstrapServers());
        return pattern.replace("{cluster}", topics.cluster(stream));
    }

    /**
     * Whether the topic exists in the stream's Kafka cluster; empty when the operator does not talk
     * to Kafka ({@code pulse.probes.enabled=false}) or does not check ({@code pulse.kafka.existing-topic-check=false}).
     *
     * @throws IllegalStateException when Kafka does not answer (its message says why, without addresses)
     */
    public Optional<Boolean> topicExists(EventStream stream, String topic) {
        if (!config.probes().enabled() || !config.kafka().existingTopicCheck() || lag == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(lag.topicExists(bootstrap(stream), topic));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException(cause.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Where the stream's stopped pipeline resumes, per partition ({@link LagProbe#resumeOffsets}: a
     * new version's hand-over), or empty when Kafka does not answer; after a failure, empty without
     * asking for {@link #HAND_OVER_RETRY}, so reconciles do not wait on an unreachable broker each time.
     */
    public Optional<Map<Integer, Long>> resumeOffsets(EventStream stream, String topic, String group) {
        String bootstrap = bootstrap(stream);
        Instant failed = handOverFailures.get(bootstrap);
        if (failed != null && failed.plus(HAND_OVER_RETRY).isAfter(clock.instant())) {
            return Optional.empty();
        }
        try {
            Optional<Map<Integer, Long>> out = Optional.of(lag.resumeOffsets(bootstrap, topic, group));
            handOverFailures.remove(bootstrap);
            return out;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.warnf("cannot read where group %s resumes on %s at %s: %s", group, topic, bootstrap, e.getMessage());
            handOverFailures.put(bootstrap, clock.instant());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Counts the stream's dead-letter records appended since {@code since} (its pipeline's start)
     * from the next round on; a later call with another start counts afresh from it.
     */
    public void countInput(EventStream stream, String deadLetterTopic, Instant since) {
        inputTargets.put(stream.getMetadata().getNamespace() + "/" + stream.getMetadata().getName(),
                new InputTarget(bootstrap(stream), deadLetterTopic, since));
    }

    /** The latest count of the stream's dead-letter records, if they were read. */
    public Optional<InputReading> input(String namespace, String stream) {
        return Optional.ofNullable(inputs.get(namespace + "/" + stream));
    }

    /** Told {@code namespace/name} and the reading after each round in which a stream's input counts changed. */
    public void addInputListener(BiConsumer<String, InputReading> listener) {
        inputListeners.add(listener);
    }

    public void addListener(Consumer<StreamHealth> listener) {
        listeners.add(listener);
    }

    /**
     * How old a stream's latest round may get before its figures count as stale and {@code Probing}
     * says {@code ProbeStalled}: two probe intervals plus one probe timeout; null when probes are off.
     */
    public Duration stalledAfter() {
        if (!config.probes().enabled()) {
            return null;
        }
        return config.probes().interval().multipliedBy(2).plus(config.probes().timeout());
    }

    /** The instant the probes' clock says now (stamps their readings and the stall check). */
    public Instant now() {
        return clock.instant();
    }

    /** The latest round of a stream, if it was probed. */
    public Optional<StreamHealth> latest(String namespace, String stream) {
        return Optional.ofNullable(latest.get(namespace + "/" + stream));
    }

    private void roundSafely() {
        try {
            round();
        } catch (RuntimeException e) {
            LOG.warnf(e, "probe round failed");
        }
    }

    /** One round over every tracked stream (the scheduler calls it; tests may too). */
    public void round() {
        IndexerResourceCache<EventStream> cache = streams;
        if (cache != null) {
            inputTargets.keySet().removeIf(key -> {
                int slash = key.indexOf('/');
                boolean gone = cache.get(new ResourceID(key.substring(slash + 1), key.substring(0, slash))).isEmpty();
                if (gone) {
                    inputs.remove(key);
                    deadLetters.forget(key);
                }
                return gone;
            });
            targets.values().removeIf(t -> {
                boolean gone = cache.get(new ResourceID(t.stream(), t.namespace())).isEmpty();
                if (gone) {
                    latest.remove(t.key());
                    lag.forget(t.topic());
                }
                return gone;
            });
        }
        readInputs();
        List<Target> all = new ArrayList<>(targets.values());
        if (all.isEmpty()) {
            return;
        }
        startCatalogRead(all);
        Map<String, Map<String, LagReading>> lags = new LinkedHashMap<>();
        Map<String, Map<String, BackfillReading>> backfills = new LinkedHashMap<>();
        for (Target t : all) {
            lags.put(t.key(), lag.probe(t.bootstrap(), t.topic(), t.groups()));
            Map<String, BackfillReading> b = new LinkedHashMap<>();
            t.histories().forEach((id, hist) -> b.put(id, lag.history(t.bootstrap(), t.topic(), hist.group(), hist.handOver(), hist.startMs())));
            backfills.put(t.key(), Map.copyOf(b));
        }
        CatalogRead catalog = catalogRead(all);
        for (Target t : all) {
            String freshnessError = catalog.errors().get(t.key());
            if (freshnessError == null && !catalog.freshness().containsKey(t.key())) {
                freshnessError = "the serving catalog has not been read for this stream yet";
            }
            StreamHealth h = new StreamHealth(t.namespace(), t.stream(), clock.instant(), lags.get(t.key()),
                    catalog.freshness().getOrDefault(t.key(), Map.of()), freshnessError, backfills.get(t.key()));
            latest.put(t.key(), h);
            for (Consumer<StreamHealth> l : listeners) {
                try {
                    l.accept(h);
                } catch (RuntimeException e) {
                    LOG.warnf(e, "probe listener failed for %s", t.key());
                }
            }
        }
    }

    private void readInputs() {
        inputTargets.forEach((key, t) -> {
            InputReading r = deadLetters.read(key, t.bootstrap(), t.topic(), t.since());
            InputReading before = inputs.put(key, r);
            if (r.error() != null && (before == null || !r.error().equals(before.error()))) {
                LOG.warnf("dead-letter records of %s: %s", key, r.error());
            }
            // an error alone changes no status: the counts shown are the last known
            if (before == null || !Objects.equals(before.withError(null), r.withError(null))) {
                for (BiConsumer<String, InputReading> l : inputListeners) {
                    try {
                        l.accept(key, r);
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "input listener failed for %s", key);
                    }
                }
            }
        });
    }

    /** Starts reading the catalog for this round, unless the previous read has not finished (the database does not answer). */
    private void startCatalogRead(List<Target> all) {
        if (catalogReader == null || catalogInFlight != null && !catalogInFlight.isDone()) {
            return;
        }
        catalogStarted = clock.instant();
        catalogInFlight = catalogReader.submit(() -> {
            lastCatalog = readCatalog(all);
        });
    }

    /**
     * This round's catalog: the read started with it when it finishes within a short grace (half an
     * interval, at most the probe timeout: a database that answers takes milliseconds), else the
     * previous read while the one in flight is younger than the probe timeout, else an error for
     * every stream. The lag of the round never waits longer than that grace on PostgreSQL.
     */
    private CatalogRead catalogRead(List<Target> all) {
        if (catalogReader == null) {
            return readCatalog(all);
        }
        Duration timeout = config.probes().timeout();
        Duration grace = config.probes().interval().dividedBy(2);
        if (grace.compareTo(timeout) > 0) {
            grace = timeout;
        }
        try {
            catalogInFlight.get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // not yet: below
        } catch (ExecutionException e) {
            LOG.warnf(e.getCause(), "reading the serving catalog failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CatalogRead last = lastCatalog;
        boolean overdue = !catalogInFlight.isDone() && catalogStarted.plus(timeout).isBefore(clock.instant());
        if (last == null || overdue) {
            String why = last == null && !overdue ? "the serving catalog has not answered yet"
                    : "the serving catalog did not answer within " + timeout.toSeconds() + "s (pulse.probes.timeout)";
            Map<String, String> errors = new LinkedHashMap<>();
            all.forEach(t -> errors.put(t.key(), why));
            return new CatalogRead(Map.of(), errors);
        }
        return last;
    }

    private CatalogRead readCatalog(List<Target> all) {
        Map<String, Map<String, FreshnessReading>> out = new ConcurrentHashMap<>();
        Map<String, String> errors = new ConcurrentHashMap<>();
        readCatalog(all, out, errors);
        return new CatalogRead(Map.copyOf(out), Map.copyOf(errors));
    }

    private void readCatalog(List<Target> all, Map<String, Map<String, FreshnessReading>> out, Map<String, String> errors) {
        Optional<String> url = config.jdbc().url();
        if (url.isEmpty()) {
            all.forEach(t -> errors.put(t.key(), StreamHealth.SERVING_NOT_CONFIGURED));
            return;
        }
        int timeout = (int) Math.max(1, config.probes().timeout().toSeconds());
        // connect, login and every read time out after the probe timeout: a hung database fails the read
        try (Connection c = serving.connect(config.probes().timeout())) {
            if (config.probes().refreshCatalog()) {
                ServingSchema.refresh(c);
            }
            for (Target t : all) {
                try {
                    out.put(t.key(), CatalogFreshness.read(c, t.namespace(), t.analyses(), timeout));
                } catch (SQLException e) {
                    errors.put(t.key(), "serving catalog: " + ServingDatabase.describe(e));
                }
            }
        } catch (SQLException e) {
            all.forEach(t -> errors.put(t.key(), ServingDatabase.describe(e)));
        }
    }
}
