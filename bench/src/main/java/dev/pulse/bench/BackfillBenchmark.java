package dev.pulse.bench;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.pipeline.PipelineJob;
import dev.pulse.pipeline.PipelineSettings;
import dev.pulse.pipeline.replay.Replay;
import dev.pulse.pipeline.replay.ReplaySummary;
import dev.pulse.testsupport.EmbeddedKafka;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Backfill (issue 12): how fast a new version of an analysis computes its history in the running
 * pipeline, against {@code pulse replay} over the same records, and how long until the serving
 * API answers from it (cutover). See bench/README.md.
 *
 * <p>{@code BackfillBenchmark [records] [parallelism] [count|ten ...]}. One topic holds
 * {@code records} shop events (also written to a JSON Lines file). Per case, an old version of the
 * analyses (the same Metrics with 2-minute windows) runs live over the topic and is stopped, as
 * before an upgrade; its tables are the active version in the serving catalog. Then, alternating,
 * {@code Replay} of the new version over the file and a streaming job whose plan pins the new
 * version at the topic's end offsets (as the operator does), while live events keep arriving;
 * {@link ServingSchema#refresh} (the operator's probe) is called every 200 ms until it promotes
 * every new version. Throughput is records over the wall time from defining the job to its end
 * (replay) or to the cutover (backfill).
 */
public final class BackfillBenchmark {
    private static final int REPEATS = Integer.getInteger("bench.repeats", 3);
    private static final long TIMEOUT_MS = Long.getLong("bench.timeoutSeconds", 600) * 1000;
    /** The job's default checkpoint interval (PipelineSettings); the history read commits its progress at checkpoints. */
    private static final long CHECKPOINT_MS = Long.getLong("bench.checkpointMs", 10_000);
    private static final int LIVE_RATE = Integer.getInteger("bench.liveRate", 500);
    private static final long POLL_MS = 200;
    private static final long OLD_WINDOW_MS = 120_000;
    private static final long NEW_WINDOW_MS = 60_000;
    /** The stream's watermark.maxOutOfOrderness (BenchEvents.STREAM). */
    private static final long OUT_OF_ORDERNESS_MS = 5_000;

    private record Case(String name, String title, List<BenchMetric> metrics) {
    }

    private static final List<Case> CASES = List.of(
            new Case("count", "one count metric by one dimension (orders-by-platform, 1-minute tumbling)", List.of(BenchMetric.ORDERS_BY_PLATFORM)),
            new Case("ten", "ten metrics on one stream (BenchMetric.TEN)", List.of(BenchMetric.TEN)));

    /**
     * One timed backfill, wall ms from defining the job: to the first final row of a new version
     * (the history read has ended: nothing is final before), to the cutover, to the history read's
     * final commit (-1: not seen); and the check's outcome.
     */
    private record Backfill(long firstFinalMs, long cutoverMs, long historyCommittedMs, String check) {
    }

    private final EmbeddedKafka kafka;
    private final EmbeddedPostgres postgres;
    private final BenchKafka offsets;
    private final String topic;
    private final int parallelism;
    private final Path file;
    private final BenchEvents.Loaded loaded;
    private final Map<Integer, Long> handOver;
    private LiveTraffic live;

    private BackfillBenchmark(EmbeddedKafka kafka, EmbeddedPostgres postgres, String topic, int parallelism, Path file,
            BenchEvents.Loaded loaded, Map<Integer, Long> handOver) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.offsets = new BenchKafka(kafka.admin(), topic, parallelism);
        this.topic = topic;
        this.parallelism = parallelism;
        this.file = file;
        this.loaded = loaded;
        this.handOver = handOver;
    }

    public static void main(String[] args) throws Exception {
        long records = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int parallelism = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        List<Case> cases = args.length > 2
                ? CASES.stream().filter(c -> List.of(args).subList(2, args.length).contains(c.name())).toList()
                : CASES;
        String topic = "shop-events";
        System.out.printf("machine: %d cores, %s, Java %s, max heap %d MB, load average %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, load());
        Path file = Files.createTempFile("pulse-backfill-", ".jsonl");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            kafka.createTopic(topic, parallelism);
            long t0 = System.nanoTime();
            BenchEvents.Loaded loaded = BenchEvents.produce(kafka.bootstrapServers(), topic, parallelism, records, file);
            Map<Integer, Long> handOver;
            try (BenchKafka k = new BenchKafka(kafka.admin(), topic, parallelism)) {
                handOver = k.endOffsets();
            }
            if (handOver.values().stream().mapToLong(Long::longValue).sum() != records) {
                throw new IllegalStateException("the topic holds " + handOver + ", not " + records + " records");
            }
            System.out.printf("pre-loaded %,d records into %s (%d partitions) and %s in %.1f s; hand-over %s%n", records, topic, parallelism,
                    file, (System.nanoTime() - t0) / 1e9, handOver);
            BackfillBenchmark bench = new BackfillBenchmark(kafka, postgres, topic, parallelism, file, loaded, handOver);
            try {
                bench.run(cases);
            } finally {
                bench.offsets.close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void run(List<Case> cases) throws Exception {
        // every old version runs before any live event exists: its latest final window is where the history ends
        List<PipelinePlan[]> versions = new ArrayList<>();
        for (Case c : cases) {
            PipelinePlan next = BenchPlans.compile(topic, BenchPlans.yamls(c.metrics()));
            PipelinePlan old = BenchPlans.compile(topic, BenchPlans.yamls(c.metrics()).stream()
                    .map(y -> y.replace("window: {type: tumbling, size: 1m}", "window: {type: tumbling, size: 2m}")).toList());
            for (AnalysisPlan a : next.analyses()) {
                if (old.analysis(a.kind(), a.name()).orElseThrow().semanticHash().equals(a.semanticHash())) {
                    throw new IllegalStateException(a.name() + ": the old definition is not another version");
                }
            }
            oldVersion(c, old);
            versions.add(new PipelinePlan[] {old, next});
        }
        // live events start a minute after the history's last window, so no window mixes both
        live = new LiveTraffic(kafka.bootstrapServers(), topic, parallelism,
                Math.floorDiv(loaded.maxTime(), NEW_WINDOW_MS) * NEW_WINDOW_MS + 2 * NEW_WINDOW_MS, LIVE_RATE);
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            PipelinePlan next = versions.get(i)[1];
            System.out.println();
            System.out.println("case " + c.name() + ": " + c.title());
            report("  replay (warm-up)", replay(next));
            List<Long> replays = new ArrayList<>();
            List<Backfill> backfills = new ArrayList<>();
            for (int k = 1; k <= REPEATS; k++) {
                replays.add(replay(next));
                report("  replay, run " + k, replays.get(k - 1));
                Backfill b = backfill(c, next, k);
                backfills.add(b);
                report("  backfill, run " + k, b.cutoverMs());
                System.out.printf(Locale.ROOT, "      first final row after %.2f s, cutover after %.2f s; history read's final offsets committed after %s; %s; load %s%n",
                        b.firstFinalMs() / 1000.0, b.cutoverMs() / 1000.0, b.historyCommittedMs() < 0 ? "(not seen)" : String.format(Locale.ROOT, "%.2f s", b.historyCommittedMs() / 1000.0),
                        b.check(), load());
            }
            long replay = median(replays);
            long backfill = median(backfills.stream().map(Backfill::cutoverMs).toList());
            report("replay (median)", replay);
            report("backfill to cutover (median)", backfill);
            System.out.printf(Locale.ROOT, "RATIO %s backfill / replay = %.2f; time to cutover for %,d records: %.1f s (runs: %s)%n", c.name(),
                    (double) replay / backfill, loaded.records(), backfill / 1000.0,
                    String.join(", ", backfills.stream().map(b -> String.format(Locale.ROOT, "%.1f s", b.cutoverMs() / 1000.0)).toList()));
        }
        System.out.printf("live events sent during the backfills: %,d (%d/s)%n", live.stop(), LIVE_RATE);
    }

    /**
     * The version that served before the change: it runs live over the whole history and is
     * stopped once its watermark has finalized every window it can (the windows before the
     * slowest partition's latest event less the out-of-orderness), as an upgrade stops it. Its
     * database is the template each backfill run starts from.
     */
    private void oldVersion(Case c, PipelinePlan old) throws Exception {
        String db = "base_" + c.name();
        createDatabase(db, null);
        String jdbc = jdbc(db);
        try (Connection conn = DriverManager.getConnection(jdbc)) {
            ServingSchema.apply(conn, List.of(old));
        }
        offsets.deleteGroup(old.stream().consumerGroup());
        long watermark = loaded.minOfPartitionMaxTimes() - OUT_OF_ORDERNESS_MS - 1;
        Instant expected = Instant.ofEpochMilli(Math.floorDiv(watermark + 1, OLD_WINDOW_MS) * OLD_WINDOW_MS);
        long t0 = System.nanoTime();
        StreamExecutionEnvironment env = environment();
        PipelineJob.define(env, old, new PipelineSettings(Path.of("plan.json"), kafka.bootstrapServers(), jdbc, null, null, false, 0, 1000, 500, null, false));
        JobClient job = env.executeAsync("old version " + c.name());
        try (Connection conn = DriverManager.getConnection(jdbc)) {
            await("the old version's final windows up to " + expected, job, () -> {
                for (AnalysisPlan a : old.analyses()) {
                    Instant end = ServingSchema.probe(conn, TableLayout.of(a)).latestFinalWindowEnd();
                    if (end == null || end.isBefore(expected)) {
                        return false;
                    }
                }
                return true;
            });
            Thread.sleep(1500); // the sinks' last flush
            job.cancel().get();
            ServingSchema.refresh(conn);
            for (Catalog.Entry e : Catalog.read(conn)) {
                if (!e.status().equals(Catalog.ACTIVE) || !expected.equals(e.latestFinalWindowEnd())) {
                    throw new IllegalStateException("old version " + e.name() + ": " + e.status() + ", latest final window end "
                            + e.latestFinalWindowEnd() + ", expected active and " + expected);
                }
            }
        }
        System.out.printf(Locale.ROOT, "old version of case %s (2-minute windows): ran live over the history in %.1f s and stopped; "
                + "active, latest final window ends %s%n", c.name(), (System.nanoTime() - t0) / 1e9, expected);
    }

    /** One replay of the new version over the file; wall ms. */
    private long replay(PipelinePlan next) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        ReplaySummary s = Replay.run(List.of(next), List.of(file), Writer.nullWriter(), new PrintStream(err, true, StandardCharsets.UTF_8));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (s.events() != loaded.records() || s.malformed() != 0) {
            throw new IllegalStateException("replay read " + s.line() + ": " + err.toString(StandardCharsets.UTF_8));
        }
        return ms;
    }

    /**
     * One backfill: a copy of the case's database (the old version active), the new version
     * pinned at the hand-over and applied as catching up, the live consumer group at the hand-over
     * (as after the upgrade's restore), live events arriving; wall time from defining the job to
     * the refresh that promotes every new version.
     */
    private Backfill backfill(Case c, PipelinePlan next, int run) throws Exception {
        String db = c.name() + "_" + run;
        createDatabase(db, "base_" + c.name());
        String jdbc = jdbc(db);
        PipelinePlan pinned = next.pinned(System.currentTimeMillis(), handOver, Map.of());
        String historyGroup = pinned.analyses().get(0).backfill().historyGroup(pinned.stream());
        Set<String> versions = new HashSet<>();
        pinned.analyses().forEach(a -> versions.add(a.semanticHash()));
        Set<String> waiting = new HashSet<>(versions);
        try (Connection conn = DriverManager.getConnection(jdbc)) {
            ServingSchema.apply(conn, List.of(pinned));
            for (Catalog.Entry e : Catalog.read(conn)) {
                boolean isNew = versions.contains(e.version());
                if (!e.status().equals(isNew ? Catalog.CATCHING_UP : Catalog.ACTIVE)) {
                    throw new IllegalStateException(e.name() + " " + e.version() + " is " + e.status() + " before the backfill");
                }
            }
            offsets.deleteGroup(pinned.stream().consumerGroup());
            offsets.commit(pinned.stream().consumerGroup(), handOver);
            live.start();
            JobClient job = null;
            try {
                long t0 = System.nanoTime();
                StreamExecutionEnvironment env = environment();
                PipelineJob.define(env, pinned, new PipelineSettings(Path.of("plan.json"), kafka.bootstrapServers(), jdbc, null, null, false,
                        CHECKPOINT_MS, 1000, 500, null, false));
                job = env.executeAsync("backfill " + db);
                long firstFinal = -1;
                long cutover = -1;
                long history = -1;
                long deadline = System.currentTimeMillis() + TIMEOUT_MS;
                while (cutover < 0 || (history < 0 && System.nanoTime() - t0 < (cutover + CHECKPOINT_MS + 5_000) * 1_000_000)) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("no cutover within " + TIMEOUT_MS / 1000 + " s; still catching up: " + waiting);
                    }
                    failIfEnded(job);
                    if (cutover < 0) {
                        ServingSchema.refresh(conn).forEach(e -> waiting.remove(e.version()));
                        long now = (System.nanoTime() - t0) / 1_000_000;
                        if (firstFinal < 0 && Catalog.read(conn).stream()
                                .anyMatch(e -> versions.contains(e.version()) && e.latestFinalWindowEnd() != null)) {
                            firstFinal = now;
                        }
                        if (waiting.isEmpty()) {
                            cutover = now;
                        }
                    }
                    if (history < 0 && offsets.committed(historyGroup).equals(handOver)) {
                        history = (System.nanoTime() - t0) / 1_000_000;
                    }
                    Thread.sleep(POLL_MS);
                }
                return new Backfill(firstFinal, cutover, history, check(conn, pinned, job));
            } finally {
                live.stop();
                if (job != null && !job.getJobStatus().get().isGloballyTerminalState()) {
                    job.cancel().get();
                }
            }
        }
    }

    /**
     * Whether the new count metric's final rows over the history windows add up to the purchases
     * loaded (counted while generating them), waiting up to 30 s for the last windows' flush.
     */
    private String check(Connection conn, PipelinePlan pinned, JobClient job) throws Exception {
        AnalysisPlan orders = pinned.analysis(AnalysisKind.Metric, BenchMetric.ORDERS_BY_PLATFORM.name()).orElseThrow();
        TableLayout t = TableLayout.of(orders);
        Timestamp historyEnd = Timestamp.from(Instant.ofEpochMilli(Math.floorDiv(loaded.maxTime(), NEW_WINDOW_MS) * NEW_WINDOW_MS + NEW_WINDOW_MS));
        long deadline = System.currentTimeMillis() + 30_000;
        long counted;
        do {
            failIfEnded(job);
            try (PreparedStatement s = conn.prepareStatement("SELECT coalesce(sum(" + TableLayout.VALUE.quoted() + "), 0) FROM " + t.qualifiedName()
                    + " WHERE " + TableLayout.quote(TableLayout.FINAL) + " AND " + TableLayout.quote(TableLayout.WINDOW_END) + " <= ?")) {
                s.setTimestamp(1, historyEnd);
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    counted = Math.round(r.getDouble(1));
                }
            }
            if (counted == loaded.purchases()) {
                return String.format(Locale.ROOT, "check OK: the new orders-by-platform's final history rows count the %,d purchases", counted);
            }
            Thread.sleep(POLL_MS);
        } while (System.currentTimeMillis() < deadline);
        return String.format(Locale.ROOT, "CHECK FAILED: the new orders-by-platform's final history rows count %,d purchases of %,d", counted,
                loaded.purchases());
    }

    private static void failIfEnded(JobClient job) throws Exception {
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            job.getJobExecutionResult().get(); // throws the failure
            throw new IllegalStateException("the job ended: " + job.getJobStatus().get());
        }
    }

    private static void await(String what, JobClient job, Callable<Boolean> condition) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.call()) {
            failIfEnded(job);
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(POLL_MS);
        }
    }

    /** A local Flink (a MiniCluster per job, as Benchmark's) that fails rather than restarts. */
    private StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
    }

    private String jdbc(String db) {
        return postgres.getJdbcUrl("postgres", db);
    }

    /** A new database, empty or a copy of {@code template} (whose sessions are ended first). */
    private void createDatabase(String name, String template) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc("postgres")); Statement s = c.createStatement()) {
            if (template != null) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + template + "' AND pid <> pg_backend_pid()");
            }
            s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private void report(String what, long ms) {
        System.out.printf(Locale.ROOT, "%-34s %7.2f s  %,10.0f records/s%n", what, ms / 1000.0, loaded.records() / (ms / 1000.0));
    }

    /** The 1, 5 and 15 minute load averages. */
    private static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
