package dev.pulse.bench;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.RollupLayout;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serving API latency (issue 5): embedded PostgreSQL with the serving schema of one plan (a
 * 1-minute count metric by a 1000-value {@code product} dimension with 1h and 1d rollups, a funnel
 * and a retention), N metric detail rows bulk-loaded with SQL, the serving API as a child JVM
 * ({@code serving/target/quarkus-app/quarkus-run.jar}), and p50/p99 of four dashboard queries with
 * 1 and 16 clients, with and without a concurrent upsert writer. Run by {@code bench/run-serving.sh}.
 */
public final class ServingBenchmark {
    private static final long MINUTES = 7 * 24 * 60;
    private static final int PRODUCTS = 1000;
    private static final String[] PLATFORMS = {"web", "ios", "android"};
    private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
    private static final int WRITE_RATE = Integer.getInteger("bench.writeRate", 200);
    private static final long DIRECT_ABOVE = Long.getLong("bench.directAbove", 1_000_000);

    private static final String STREAM = """
            apiVersion: pulse.dev/v1alpha1
            kind: EventStream
            metadata: {name: shop-events, namespace: bench}
            spec:
              kafka: {cluster: bench, topic: serving-bench, partitions: 2, replicas: 1}
              eventTypeField: event
              actorField: user_id
              timestamp: {field: ts, format: epochMillis}
              watermark: {maxOutOfOrderness: 5s, idleTimeout: 1m}
              fields:
                - {name: platform, type: string}
                - {name: product, type: string}
            """;
    private static final String METRIC = """
            apiVersion: pulse.dev/v1alpha1
            kind: Metric
            metadata: {name: orders-by-product, namespace: bench}
            spec:
              stream: shop-events
              events: [purchase]
              aggregation: {type: count}
              dimensions: [product]
              window: {type: tumbling, size: 1m}
              serving: {retention: 30d, rollups: [1h, 1d]}
            """;

    private ServingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<Long> sizes = new ArrayList<>();
        for (String a : args) {
            sizes.add(Long.parseLong(a.replace("_", "")));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(100_000L, 1_000_000L);
        }
        Path root = Path.of(System.getProperty("bench.root", ".")).toAbsolutePath();
        Path jar = root.resolve("serving/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: ./mvnw -q -f serving/pom.xml package -DskipTests");
        }
        PipelinePlan plan = plan();
        List<String> table = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("shared_buffers", "512MB").setServerConfig("max_connections", "100")
                .setServerConfig("synchronous_commit", "off").start()) {
            String jdbc = pg.getJdbcUrl("postgres", "postgres");
            for (long n : sizes) {
                Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
                String loadNote;
                try (Connection c = DriverManager.getConnection(jdbc)) {
                    loadNote = load(c, plan, n, end);
                }
                System.out.println("N=" + n + ": " + loadNote);
                int port;
                try (ServerSocket s = new ServerSocket(0)) {
                    port = s.getLocalPort();
                }
                Path log = root.resolve("bench/target/serving-" + n + ".log");
                Process serving = new ProcessBuilder(List.of(javaBin(), "-Xmx" + System.getProperty("bench.servingHeap", "2g"), "-Dquarkus.http.port=" + port,
                        "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.datasource.jdbc.url=" + jdbc,
                        "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=",
                        "-Dquarkus.kubernetes-client.devservices.enabled=false", "-Dpulse.serving.max-points=200000",
                        "-Dpulse.serving.auth.mode=none", // measures queries, not the Kubernetes API's reviews
                        "-jar", jar.toString()))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                try {
                    String base = "http://127.0.0.1:" + port;
                    awaitReady(base, serving, log);
                    table.addAll(measure(base, jdbc, plan, n, end));
                } finally {
                    serving.destroy();
                    if (!serving.waitFor(20, TimeUnit.SECONDS)) {
                        serving.destroyForcibly();
                    }
                }
            }
        }
        System.out.println();
        System.out.println("| rows | writer | clients | query | requests | p50 ms | p99 ms | cache hits |");
        System.out.println("|---:|---|---:|---|---:|---:|---:|---:|");
        table.forEach(System.out::println);
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static PipelinePlan plan() throws Exception {
        return BenchPlans.compileStream(STREAM, List.of(METRIC, BenchAnalyses.FUNNEL, BenchAnalyses.RETENTION));
    }

    private static AnalysisPlan analysis(PipelinePlan plan, AnalysisKind kind) {
        return plan.analyses().stream().filter(a -> a.kind() == kind).findFirst().orElseThrow();
    }

    /**
     * Fresh schema; N metric rows over the 7 days before {@code end} (row i: minute i mod 10080,
     * product (i / 10080 + 7 * minute) mod 1000, so every product appears and keys are unique up to
     * ~10^7 rows); one funnel row per minute and platform; one retention cohort per hour and platform.
     */
    private static String load(Connection c, PipelinePlan plan, long n, Instant end) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS pulse_bench CASCADE");
            s.execute("DROP SCHEMA IF EXISTS pulse_catalog CASCADE");
        }
        ServingSchema.apply(c, List.of(plan));
        Timestamp start = Timestamp.from(end.minus(Duration.ofMinutes(MINUTES)));
        TableLayout metric = TableLayout.of(analysis(plan, AnalysisKind.Metric));
        List<RollupLayout> rollups = RollupLayout.of(analysis(plan, AnalysisKind.Metric));
        boolean direct = n > DIRECT_ABOVE;
        // the day partitions the load and the writer need (the pipeline's sink creates its own)
        List<Long> days = new ArrayList<>();
        for (long d = start.getTime(); d <= end.toEpochMilli() + TableLayout.PARTITION_MS; d += TableLayout.PARTITION_MS) {
            days.add(d);
        }
        for (AnalysisKind kind : List.of(AnalysisKind.Metric, AnalysisKind.Funnel, AnalysisKind.Retention)) {
            ServingSchema.ensurePartitions(c, TableLayout.of(analysis(plan, kind)), days);
        }
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
            long chunk = 500_000;
            for (long from = 0; from < n; from += chunk) {
                long to = Math.min(n, from + chunk) - 1;
                Map<String, String> values = new LinkedHashMap<>();
                values.put(TableLayout.VALUE.name(), "((i % 97) + 1)::double precision");
                insert(c, metric, "(SELECT i, ?::timestamptz + (i % " + MINUTES + ") * interval '1 minute' AS ts, "
                        + "'p' || lpad(((i / " + MINUTES + " + (i % " + MINUTES + ") * 7) % " + PRODUCTS + ")::text, 4, '0') AS d0 "
                        + "FROM generate_series(" + from + "::bigint, " + to + "::bigint) i) g", "interval '1 minute'", values, start);
                System.out.printf(Locale.ROOT, "  loaded %,d / %,d metric rows (%.0f s)%n", to + 1, n, (System.nanoTime() - t0) / 1e9);
            }
            // a bulk load bypasses the writers that maintain rollups: build them once, from the detail rows
            for (RollupLayout r : rollups) {
                s.execute(r.backfillSql());
            }
        }
        double metricSeconds = (System.nanoTime() - t0) / 1e9;

        TableLayout funnel = TableLayout.of(analysis(plan, AnalysisKind.Funnel));
        Map<String, String> fv = new LinkedHashMap<>();
        fv.put(TableLayout.STEP_COUNTS.name(), "ARRAY[100 + i % 50, 60 + i % 30, 30 + i % 20, 10 + i % 10]::bigint[]");
        fv.put(TableLayout.MEDIAN_CONVERSION_MS.name(), "120000.0");
        insert(c, funnel, "(SELECT i, ?::timestamptz + (i / 3) * interval '1 minute' AS ts, (ARRAY['web','ios','android'])[i % 3 + 1] AS d0 "
                + "FROM generate_series(0::bigint, " + (MINUTES * PLATFORMS.length - 1) + "::bigint) i) g", "interval '1 minute'", fv, start);
        TableLayout retention = TableLayout.of(analysis(plan, AnalysisKind.Retention));
        Map<String, String> rv = new LinkedHashMap<>();
        rv.put(TableLayout.COHORT_SIZE.name(), "500 + i % 100");
        rv.put(TableLayout.RETAINED.name(), "ARRAY[300, 200, 150, 120, 100, 90, 80]::bigint[]");
        rv.put(TableLayout.COMPLETE.name(), "ARRAY[true, true, true, true, true, true, true]");
        insert(c, retention, "(SELECT i, ?::timestamptz + (i / 3) * interval '1 hour' AS ts, (ARRAY['web','ios','android'])[i % 3 + 1] AS d0 "
                + "FROM generate_series(0::bigint, " + (MINUTES / 60 * PLATFORMS.length - 1) + "::bigint) i) g", "interval '1 hour'", rv, start);
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
        ServingSchema.refresh(c);
        return String.format(Locale.ROOT, "metric rows loaded in %.1f s (%s); funnel %d rows, retention %d rows; total %.1f s",
                metricSeconds, direct ? "direct, rollups built by RollupLayout.backfillSql" : "rollups built by RollupLayout.backfillSql",
                MINUTES * 3, MINUTES / 60 * 3, (System.nanoTime() - t0) / 1e9);
    }

    /** INSERT … SELECT over a generated relation with columns i, ts, d0; value columns not given are NULL. */
    private static void insert(Connection c, TableLayout t, String from, String window, Map<String, String> values, Timestamp start)
            throws Exception {
        List<String> cols = new ArrayList<>(List.of(TableLayout.WINDOW_START, TableLayout.WINDOW_END));
        List<String> exprs = new ArrayList<>(List.of("ts", "ts + " + window));
        if (t.dimensionColumns().size() != 1) {
            throw new IllegalStateException("expected one dimension in " + t.qualifiedName());
        }
        cols.add(t.dimensionColumns().get(0));
        exprs.add("d0");
        for (TableLayout.Column v : t.valueColumns()) {
            cols.add(v.name());
            exprs.add(values.getOrDefault(v.name(), "NULL::" + v.sqlType()));
        }
        cols.add(TableLayout.FINAL);
        exprs.add("true");
        String sql = "INSERT INTO " + t.qualifiedName() + " (" + String.join(", ", cols.stream().map(TableLayout::quote).toList())
                + ") SELECT " + String.join(", ", exprs) + " FROM " + from;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, start);
            ps.executeUpdate();
        }
    }

    private static void awaitReady(String base, Process serving, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (!serving.isAlive()) {
                throw new IllegalStateException("serving exited with " + serving.exitValue() + ", see " + log);
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("serving not ready after 120 s, see " + log);
    }

    private record Query(String name, String path) {
    }

    private static List<Query> queries(Instant end) {
        String day = "from=" + end.minus(Duration.ofDays(1)) + "&to=" + end;
        String week = "from=" + end.minus(Duration.ofDays(7)) + "&to=" + end;
        return List.of(
                new Query("day of 1m points (total)", "/api/v1/namespaces/bench/metrics/orders-by-product?" + day + "&groupBy="),
                // a dashboard's breakdown: the top 20 products and the rest as "other"
                new Query("7d by product, 1h grain (top 20 + other)", "/api/v1/namespaces/bench/metrics/orders-by-product?" + week
                        + "&grain=1h&groupBy=product&top=20"),
                new Query("funnel, 1 day by platform", "/api/v1/namespaces/bench/funnels/purchase-funnel?" + day),
                new Query("retention, 7 days", "/api/v1/namespaces/bench/retention/buyer-retention?" + week));
    }

    private static final class Stats {
        final List<Long> nanos = new ArrayList<>();
        long hits;
        long errors;
        String lastError;

        synchronized void add(long ns, boolean hit) {
            nanos.add(ns);
            if (hit) {
                hits++;
            }
        }

        synchronized void error(String e) {
            errors++;
            lastError = e;
        }

        synchronized double percentile(double p) {
            if (nanos.isEmpty()) {
                return Double.NaN;
            }
            List<Long> sorted = new ArrayList<>(nanos);
            sorted.sort(null);
            int i = (int) Math.ceil(p * sorted.size()) - 1;
            return sorted.get(Math.max(0, i)) / 1e6;
        }
    }

    private static List<String> measure(String base, String jdbc, PipelinePlan plan, long n, Instant end) throws Exception {
        // daemon threads, shut down after the measurement: the JVM exits once the table is printed
        ExecutorService clientPool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "http-client");
            t.setDaemon(true);
            return t;
        });
        try {
            return measure(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientPool).build(), base, jdbc, plan, n, end);
        } finally {
            clientPool.shutdownNow();
        }
    }

    private static List<String> measure(HttpClient http, String base, String jdbc, PipelinePlan plan, long n, Instant end) throws Exception {
        List<Query> queries = queries(end);
        for (Query q : queries) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + q.path())).build(), HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "  %s -> %d, %,d bytes, table %s%n", q.name(), r.statusCode(), r.body().length(),
                    r.headers().firstValue("X-Pulse-Table").orElse("?"));
            if (r.statusCode() != 200) {
                throw new IllegalStateException(q.name() + ": " + r.body());
            }
        }
        run(http, base, queries, 4, 5, null); // warm-up (JIT, connection pool, caches)
        List<String> rows = new ArrayList<>();
        for (boolean writer : new boolean[] {false, true}) {
            for (int clients : new int[] {1, 16}) {
                Writer w = writer ? new Writer(jdbc, TableLayout.of(analysis(plan, AnalysisKind.Metric)), end) : null;
                Map<Query, Stats> stats;
                try {
                    stats = run(http, base, queries, clients, SECONDS, w);
                } finally {
                    if (w != null) {
                        w.close();
                    }
                }
                String wr = writer ? String.format(Locale.ROOT, "%d rows/s (%,d upserts)", WRITE_RATE, w.written.get()) : "none";
                for (Query q : queries) {
                    Stats s = stats.get(q);
                    String row = String.format(Locale.ROOT, "| %,d | %s | %d | %s | %,d%s | %.1f | %.1f | %.0f%% |", n, wr, clients, q.name(),
                            s.nanos.size(), s.errors > 0 ? " (" + s.errors + " errors)" : "", s.percentile(0.5), s.percentile(0.99),
                            s.nanos.isEmpty() ? 0.0 : 100.0 * s.hits / s.nanos.size());
                    System.out.println(row);
                    if (s.lastError != null) {
                        System.out.println("    last error: " + s.lastError);
                    }
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** {@code clients} threads, each requesting the four queries in turn (a dashboard load) for {@code seconds}. */
    private static Map<Query, Stats> run(HttpClient http, String base, List<Query> queries, int clients, int seconds, Writer writer)
            throws Exception {
        Map<Query, Stats> stats = new LinkedHashMap<>();
        queries.forEach(q -> stats.put(q, new Stats()));
        if (writer != null) {
            writer.start();
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int k = 0; k < clients; k++) {
            int offset = k;
            pool.submit(() -> {
                int i = offset;
                while (System.nanoTime() < deadline) {
                    Query q = queries.get(i++ % queries.size());
                    long t = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + q.path())).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        long ns = System.nanoTime() - t;
                        if (r.statusCode() == 200) {
                            stats.get(q).add(ns, "hit".equals(r.headers().firstValue("X-Pulse-Cache").orElse("")));
                        } else {
                            stats.get(q).error(r.statusCode() + " " + new String(r.body()));
                        }
                    } catch (Exception e) {
                        stats.get(q).error(e.toString());
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120, TimeUnit.SECONDS);
        return stats;
    }

    /**
     * One thread upserting provisional rows of the windows after {@code end} through
     * {@link TableLayout#upsertSql()}, {@code bench.writeRate} rows a second in batches every 100 ms
     * (each batch its own transaction, as the pipeline's sink does). The rows are outside the queried
     * range but change the metric's data version, so they invalidate its cached answers, and each
     * batch refreshes the rollup buckets it touched in its transaction ({@link RollupMaintenance}).
     */
    private static final class Writer implements AutoCloseable {
        final AtomicLong written = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final String jdbc;
        private final TableLayout t;
        private final Instant end;
        private Thread thread;

        Writer(String jdbc, TableLayout t, Instant end) {
            this.jdbc = jdbc;
            this.t = t;
            this.end = end;
        }

        void start() {
            thread = new Thread(this::loop, "upsert-writer");
            thread.start();
        }

        private void loop() {
            int perBatch = Math.max(1, WRITE_RATE / 10);
            long k = 0;
            RollupMaintenance rollups = new RollupMaintenance(t, AggregationType.count);
            try (Connection c = DriverManager.getConnection(jdbc); PreparedStatement ps = c.prepareStatement(t.upsertSql())) {
                c.setAutoCommit(false);
                long next = System.nanoTime();
                while (!stop.get()) {
                    long[] starts = new long[perBatch];
                    List<String[]> dims = new ArrayList<>();
                    for (int j = 0; j < perBatch; j++, k++) {
                        long minute = (k / PRODUCTS) % 60;
                        Instant ws = end.plus(Duration.ofMinutes(minute));
                        ps.setTimestamp(1, Timestamp.from(ws));
                        ps.setTimestamp(2, Timestamp.from(ws.plus(Duration.ofMinutes(1))));
                        ps.setString(3, String.format(Locale.ROOT, "p%04d", k % PRODUCTS));
                        starts[j] = ws.toEpochMilli();
                        dims.add(new String[] {String.format(Locale.ROOT, "p%04d", k % PRODUCTS)});
                        ps.setDouble(4, k % 1000);
                        ps.setNull(5, java.sql.Types.BIGINT);
                        ps.setNull(6, java.sql.Types.BIGINT);
                        ps.setBoolean(7, false);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                    rollups.afterUpsert(c, starts, dims);
                    c.commit();
                    written.addAndGet(perBatch);
                    next += 100_000_000L;
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
            } catch (Exception e) {
                System.out.println("writer failed: " + e);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join();
        }
    }
}
