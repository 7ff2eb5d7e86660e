package dev.pulse.operator.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.RollupMaintenance;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.AnalysisStatus;
import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.status.Conditions;
import dev.pulse.testsupport.PostgresExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Drift against a batch table on a real PostgreSQL. Raw events live in the "warehouse" database;
 * the batch tables are filled from them by an independent daily SQL (what the old batch job
 * does). The streaming side is what the pipeline writes into the serving store: final per-minute
 * rows and their 1d rollup, refreshed in the same transaction as the sink does.
 */
class DriftReconciliationTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.shared();

    private static final ZoneOffset UTC = ZoneOffset.UTC;
    private static final LocalDate DAY1 = LocalDate.parse("2026-03-01");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private record Event(Instant ts, String type, String user, String platform) {
    }

    private static Connection serving;
    private static Connection warehouse;
    private static Map<String, Metric> metrics = new TreeMap<>();
    private static Map<String, AnalysisPlan> plans = new TreeMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        serving = POSTGRES.freshDatabase("drift_serving");
        warehouse = POSTGRES.freshDatabase("drift_warehouse");
        List<HasMetadata> resources = load("/drift/orders.yaml");
        Compilation compilation = new PlanCompiler(Map.of()).compile(resources);
        assertThat(compilation.problems()).isEmpty();
        for (HasMetadata r : resources) {
            if (r instanceof Metric m) {
                metrics.put(m.getMetadata().getName(), m);
                plans.put(m.getMetadata().getName(), compilation.plans().get(0).analysis(AnalysisKind.Metric, m.getMetadata().getName()).orElseThrow());
            }
        }
        ServingSchema.applyAnalyses(serving, List.copyOf(plans.values()));
        try (Statement s = warehouse.createStatement()) {
            s.execute("CREATE SCHEMA raw");
            s.execute("CREATE TABLE raw.events (ts timestamptz NOT NULL, event text NOT NULL, user_id text NOT NULL, platform text)");
            s.execute("CREATE SCHEMA warehouse");
            s.execute("CREATE TABLE warehouse.daily_orders (day date NOT NULL, platform text, orders bigint NOT NULL)");
            s.execute("CREATE TABLE warehouse.daily_buyers (day date NOT NULL, platform text, buyers bigint NOT NULL)");
        }
    }

    @AfterAll
    static void tearDown() throws SQLException {
        serving.close();
        warehouse.close();
    }

    @Test
    void cleanDaysPromoteToAuthoritativeAndAnInjectedDiscrepancyBreachesNamingTheWorstDimension() throws SQLException {
        Metric orders = metrics.get("orders");
        AnalysisStatus status = null;
        for (int d = 0; d < 3; d++) {
            LocalDate day = DAY1.plusDays(d);
            List<Event> events = day(day, 100 + d);
            raw(events);
            stream(events, e -> true);
            batch(day);
            status = apply(status, orders, day);
            assertThat(status.condition(Condition.DRIFT_WITHIN_TOLERANCE).orElseThrow().getStatus()).as(day.toString()).isEqualTo("True");
            assertThat(status.getDrift().getConsecutiveCleanDays()).isEqualTo(d + 1);
            assertThat(status.getDrift().getRelativeError()).isZero();
            assertThat(status.getDrift().getStreaming()).isEqualTo(purchases(events)).isEqualTo(status.getDrift().getBatch());
            String authoritative = status.condition(Condition.AUTHORITATIVE).orElseThrow().getStatus();
            assertThat(authoritative).as("Authoritative after " + (d + 1) + " clean days").isEqualTo(d < 2 ? "False" : "True");
        }
        assertThat(status.condition(Condition.AUTHORITATIVE).orElseThrow().getReason()).isEqualTo("Promoted");
        assertThat(status.getDrift().getDay()).isEqualTo("2026-03-03");

        // day 4: the pipeline lost every tenth ios purchase; the batch has them all
        LocalDate day4 = DAY1.plusDays(3);
        List<Event> events = day(day4, 200);
        raw(events);
        int[] n = {0};
        stream(events, e -> !("ios".equals(e.platform()) && "purchase".equals(e.type()) && n[0]++ % 10 == 0));
        batch(day4);
        status = apply(status, orders, day4);
        Condition within = status.condition(Condition.DRIFT_WITHIN_TOLERANCE).orElseThrow();
        assertThat(within.getStatus()).isEqualTo("False");
        assertThat(within.getReason()).isEqualTo("DriftOutOfTolerance");
        assertThat(within.getMessage()).contains("platform=ios");
        Condition authoritative = status.condition(Condition.AUTHORITATIVE).orElseThrow();
        assertThat(authoritative.getStatus()).isEqualTo("False");
        assertThat(authoritative.getReason()).isEqualTo("DriftOutOfTolerance");
        assertThat(status.getDrift().getConsecutiveCleanDays()).isZero();
        assertThat(status.getDrift().getRelativeError()).isGreaterThan(0.005);
        assertThat(status.getDrift().getWorstDimensions()).hasSize(1);
        assertThat(status.getDrift().getWorstDimensions().get(0)).startsWith("platform=ios: streaming ").contains("batch ").contains("-");

        // day 5: the batch job has not written the day: reported as missing, not as 100 % drift
        LocalDate day5 = DAY1.plusDays(4);
        List<Event> day5Events = day(day5, 300);
        raw(day5Events);
        stream(day5Events, e -> true);
        AnalysisStatus missing = apply(status, orders, day5);
        Condition none = missing.condition(Condition.DRIFT_WITHIN_TOLERANCE).orElseThrow();
        assertThat(none.getStatus()).isEqualTo("Unknown");
        assertThat(none.getReason()).isEqualTo("BatchRowMissing");
        assertThat(missing.getDrift().getBatch()).isNull();
        assertThat(missing.getDrift().getRelativeError()).isNull();
        assertThat(missing.getDrift().getStreaming()).isEqualTo(purchases(day5Events));

        // the batch catches up; asked again for day 5 (the reconcile-now annotation): clean, a new run starts
        batch(day5);
        AnalysisStatus rerun = apply(missing, orders, day5);
        assertThat(rerun.condition(Condition.DRIFT_WITHIN_TOLERANCE).orElseThrow().getStatus()).isEqualTo("True");
        assertThat(rerun.getDrift().getConsecutiveCleanDays()).isEqualTo(1);
        assertThat(rerun.condition(Condition.AUTHORITATIVE).orElseThrow().getReason()).isEqualTo("OnProbation");
    }

    @Test
    void distinctCountsCompareOnlyFromAWholeDayWindow() throws SQLException {
        LocalDate day = LocalDate.parse("2026-04-01");
        List<Event> events = day(day, 7);
        raw(events);
        stream(events, e -> true);
        batch(day);

        DriftOutcome perMinute = DayComparer.compare(metrics.get("buyers").getSpec().getReconciliation(), plans.get("buyers"), day, UTC,
                serving, warehouse, 10);
        assertThat(perMinute.kind()).isEqualTo(DriftOutcome.Kind.NOT_COMPARABLE);
        assertThat(perMinute.message()).contains("window of exactly one day");

        DriftOutcome daily = DayComparer.compare(metrics.get("daily-buyers").getSpec().getReconciliation(), plans.get("daily-buyers"), day, UTC,
                serving, warehouse, 10);
        assertThat(daily.kind()).isEqualTo(DriftOutcome.Kind.COMPARED);
        assertThat(daily.comparison().clean()).isTrue();
        Set<String> buyersPerPlatform = new HashSet<>();
        events.stream().filter(e -> e.type().equals("purchase")).forEach(e -> buyersPerPlatform.add(e.platform() + "/" + e.user()));
        assertThat(daily.comparison().streaming()).isEqualTo(buyersPerPlatform.size());
    }

    @Test
    void identifiersFromTheResourceAreQuotedAndChecked() {
        assertThat(BatchDayTotals.qualified("Warehouse.daily_orders")).isEqualTo("\"Warehouse\".\"daily_orders\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BatchDayTotals.quote("orders\"; DROP TABLE x; --"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static AnalysisStatus apply(AnalysisStatus previous, Metric metric, LocalDate day) {
        DriftOutcome outcome = DayComparer.compare(metric.getSpec().getReconciliation(), plans.get(metric.getMetadata().getName()), day, UTC,
                serving, warehouse, 10);
        DriftStatusFactory f = DriftStatusFactory.of(previous, outcome, metric.getSpec().getReconciliation().getPromoteAfterDays());
        AnalysisStatus next = new AnalysisStatus();
        next.setDrift(f.drift());
        next.setConditions(Conditions.merge(previous == null ? null : previous.getConditions(), f.conditions(), 1, Instant.EPOCH));
        return next;
    }

    private static double purchases(List<Event> events) {
        return events.stream().filter(e -> e.type().equals("purchase")).count();
    }

    /** A day of events: 3000, 40 % purchases, platforms ios/android/web or none, 400 users. */
    private static List<Event> day(LocalDate day, long seed) {
        Random r = new Random(seed);
        Instant start = day.atStartOfDay(UTC).toInstant();
        String[] platforms = {"ios", "android", "web", "web", "android", "ios", "ios", null};
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            out.add(new Event(start.plusMillis((long) (r.nextDouble() * 86_400_000L)), r.nextInt(10) < 4 ? "purchase" : "product_view",
                    "u" + r.nextInt(400), platforms[r.nextInt(platforms.length)]));
        }
        return out;
    }

    private static void raw(List<Event> events) throws SQLException {
        try (PreparedStatement p = warehouse.prepareStatement("INSERT INTO raw.events VALUES (?, ?, ?, ?)")) {
            for (Event e : events) {
                p.setTimestamp(1, Timestamp.from(e.ts()));
                p.setString(2, e.type());
                p.setString(3, e.user());
                p.setString(4, e.platform());
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    /** The old daily batch job: an independent SQL over the raw events of one day. */
    private static void batch(LocalDate day) throws SQLException {
        try (PreparedStatement orders = warehouse.prepareStatement("INSERT INTO warehouse.daily_orders "
                + "SELECT (ts AT TIME ZONE 'UTC')::date, platform, count(*) FROM raw.events "
                + "WHERE event = 'purchase' AND (ts AT TIME ZONE 'UTC')::date = ? GROUP BY 1, 2");
                PreparedStatement buyers = warehouse.prepareStatement("INSERT INTO warehouse.daily_buyers "
                        + "SELECT (ts AT TIME ZONE 'UTC')::date, platform, count(DISTINCT user_id) FROM raw.events "
                        + "WHERE event = 'purchase' AND (ts AT TIME ZONE 'UTC')::date = ? GROUP BY 1, 2")) {
            orders.setObject(1, day);
            orders.executeUpdate();
            buyers.setObject(1, day);
            buyers.executeUpdate();
        }
    }

    /** What the pipeline writes: final rows of 1-minute counts, and of daily and per-minute distinct buyers, by platform. */
    private static void stream(List<Event> events, Predicate<Event> kept) throws SQLException {
        Map<List<Object>, Long> counts = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        Map<List<Object>, Set<String>> buyers = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        Map<List<Object>, Set<String>> perMinuteBuyers = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        for (Event e : events) {
            if (!e.type().equals("purchase") || !kept.test(e)) {
                continue;
            }
            List<Object> minute = List.of(e.ts().truncatedTo(ChronoUnit.MINUTES), TableLayout.storedDimension(e.platform()));
            counts.merge(minute, 1L, Long::sum);
            perMinuteBuyers.computeIfAbsent(minute, k -> new HashSet<>()).add(e.user());
            Instant day = e.ts().truncatedTo(ChronoUnit.DAYS);
            buyers.computeIfAbsent(List.of(day, TableLayout.storedDimension(e.platform())), k -> new HashSet<>()).add(e.user());
        }
        upsert(plans.get("orders"), counts, null, 60_000);
        upsert(plans.get("daily-buyers"), sizes(buyers), buyers, 86_400_000L);
        upsert(plans.get("buyers"), sizes(perMinuteBuyers), perMinuteBuyers, 60_000);
    }

    private static Map<List<Object>, Long> sizes(Map<List<Object>, Set<String>> sets) {
        Map<List<Object>, Long> out = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        sets.forEach((k, v) -> out.put(k, (long) v.size()));
        return out;
    }

    /** Final rows as the sink writes them; a countDistinct metric's rows carry their distinct values ({@code members}). */
    private static void upsert(AnalysisPlan plan, Map<List<Object>, Long> rows, Map<List<Object>, Set<String>> members, long sizeMs)
            throws SQLException {
        TableLayout t = TableLayout.of(plan);
        // as the sink writes: the day partitions first, then the batch and the refresh of its rollup buckets in one transaction
        ServingSchema.ensurePartitions(serving, t, rows.keySet().stream().map(k -> ((Instant) k.get(0)).toEpochMilli()).toList());
        serving.setAutoCommit(false);
        try (PreparedStatement p = serving.prepareStatement(t.upsertSql())) {
            long[] starts = new long[rows.size()];
            List<String[]> dims = new ArrayList<>();
            for (Map.Entry<List<Object>, Long> row : rows.entrySet()) {
                Instant start = (Instant) row.getKey().get(0);
                starts[dims.size()] = start.toEpochMilli();
                dims.add(new String[] {TableLayout.storedDimension((String) row.getKey().get(1))});
                int i = 1;
                p.setTimestamp(i++, Timestamp.from(start));
                p.setTimestamp(i++, Timestamp.from(start.plusMillis(sizeMs)));
                p.setString(i++, (String) row.getKey().get(1));
                p.setDouble(i++, row.getValue());
                p.setObject(i++, null);
                p.setObject(i++, null);
                for (TableLayout.Column state : t.stateColumns()) {
                    if (!state.equals(TableLayout.DISTINCT_VALUES)) {
                        throw new IllegalStateException("the test writes no " + state.name());
                    }
                    p.setArray(i++, serving.createArrayOf("text", new TreeSet<>(members.get(row.getKey())).toArray()));
                }
                p.setBoolean(i, true);
                p.addBatch();
            }
            p.executeBatch();
            new RollupMaintenance(t, plan.metric().aggregation()).afterUpsert(serving, starts, dims);
            serving.commit();
        } finally {
            serving.setAutoCommit(true);
        }
    }

    static List<HasMetadata> load(String resource) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        try (InputStream in = DriftReconciliationTest.class.getResourceAsStream(resource)) {
            for (String doc : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("(?m)^---$")) {
                Map<?, ?> raw = YAML.unmarshal(doc, Map.class);
                Class<? extends HasMetadata> type = "EventStream".equals(raw.get("kind")) ? EventStream.class : Metric.class;
                out.add(YAML.unmarshal(doc, type));
            }
        }
        return out;
    }
}
