package dev.pulse.serving;

import static dev.pulse.serving.Plans.DAY;
import static dev.pulse.serving.Plans.HOUR;
import static dev.pulse.serving.Plans.MINUTE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.funnel.FunnelSpec.CountBy;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.testsupport.PostgresExtension;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The query API over a seeded PostgreSQL: exact answers, routing, cache, errors, and who may read
 * what (tokens of {@link AccessReviewServer}). Values worked out by hand in comments.
 */
@QuarkusTest
@QuarkusTestResource(value = ServingDatabase.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AccessReviewServer.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiTest {
    @Inject
    DataSource dataSource;

    static final AnalysisPlan ORDERS = Plans.metric("growth", "orders", "aaaa000001", AggregationType.count, List.of("platform"), MINUTE,
            List.of(HOUR), true, 400 * DAY);
    static final AnalysisPlan VISITS = Plans.metric("growth", "visits", "ffff000001", AggregationType.count, List.of(), MINUTE,
            List.of(HOUR), false, 400 * DAY);
    static final AnalysisPlan CONVERSION = Plans.metric("growth", "conversion", "bbbb000001", AggregationType.ratio, List.of(), HOUR,
            List.of(), false, 400 * DAY);
    static final AnalysisPlan USERS = Plans.metric("growth", "users", "cccc000001", AggregationType.countDistinct, List.of("platform"), MINUTE,
            List.of(HOUR), false, 400 * DAY);
    static final AnalysisPlan LATENCY = Plans.metric("growth", "latency", "cccc000002", AggregationType.percentile, List.of(), MINUTE,
            List.of(HOUR), false, 400 * DAY);
    static final AnalysisPlan CHECKOUT = Plans.funnel("growth", "checkout", "dddd000001", List.of("viewed", "carted", "purchased"),
            CountBy.uniques, List.of("platform"), HOUR);
    static final AnalysisPlan BUYERS = Plans.retention("growth", "buyers", "eeee000001", 3, List.of("platform"));
    static final AnalysisPlan STEPS = Plans.funnel("growth", "steps", "dddd000003", List.of("viewed", "purchased"),
            CountBy.totals, List.of("platform"), HOUR);
    /** Another team's namespace: a growth token must not see it. */
    static final AnalysisPlan PAYOUTS = Plans.metric("payments", "payouts", "9999000001", AggregationType.sum, List.of(), MINUTE,
            List.of(), false, 400 * DAY);
    static final String RANGE = "from=2026-01-01T00:00:00Z&to=2026-01-01T02:00:00Z";

    static String[] dims(String... values) {
        return values;
    }

    @BeforeAll
    void seed() throws SQLException {
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            ServingSchema.applyAnalyses(c, List.of(ORDERS, VISITS, CONVERSION, USERS, LATENCY, CHECKOUT, BUYERS, STEPS, PAYOUTS));
            Rows.metric(c, ORDERS, "00:00", dims("ios"), 2.0, null, null, true);
            Rows.metric(c, ORDERS, "00:00", dims("web"), 1.0, null, null, true);
            Rows.metric(c, ORDERS, "00:01", dims("ios"), 3.0, null, null, true);
            Rows.metric(c, ORDERS, "01:00", dims("ios"), 5.0, null, null, false);
            Rows.metric(c, ORDERS, "01:30", dims("web"), 4.0, null, null, true); // the latest final window ends 01:31
            Rows.upsert(c, TableLayout.anomalies(ORDERS), Rows.at("00:01"), Rows.at("00:02"), dims("ios"), true, 3.0, 1.0, 0.0, 2.0, 4.0);
            Rows.metric(c, VISITS, "00:00", dims(), 6.0, null, null, true);
            Rows.metric(c, VISITS, "01:30", dims(), 1.0, null, null, true);
            Rows.metric(c, CONVERSION, "00:00", dims(), 0.25, 1L, 4L, true);
            Rows.metric(c, CONVERSION, "01:00", dims(), null, 0L, 0L, true);
            // distinct values per window, as the pipeline writes them: ios {a, b} and {b, c}, web {a}; the 01:30 window makes 01:00 final
            Rows.metricWithState(c, USERS, "00:00", dims("ios"), 2.0, true, (Object) new String[] {"a", "b"});
            Rows.metricWithState(c, USERS, "00:01", dims("ios"), 2.0, true, (Object) new String[] {"b", "c"});
            Rows.metricWithState(c, USERS, "00:00", dims("web"), 1.0, true, (Object) new String[] {"a"});
            Rows.metricWithState(c, USERS, "01:30", dims("web"), 1.0, true, (Object) new String[] {"d"});
            // p95 from sketch bins: 1 and 2 in one window (its p95 is 1, at rank 0.95·1), 3 three times in the next;
            // the hour's is 3 (the first bin whose cumulative count exceeds 0.95·4)
            Rows.metricWithState(c, LATENCY, "00:00", dims(), 1.0, true, new Double[] {1.0, 2.0}, new Long[] {1L, 1L});
            Rows.metricWithState(c, LATENCY, "00:01", dims(), 3.0, true, new Double[] {3.0}, new Long[] {3L});
            Rows.metricWithState(c, LATENCY, "01:30", dims(), 5.0, true, new Double[] {5.0}, new Long[] {1L});
            Rows.upsert(c, TableLayout.of(CHECKOUT), Rows.at("00:00"), Rows.at("01:00"), dims("ios"), true,
                    new Long[] {10L, 4L, 1L}, 120000.0);
            Rows.upsert(c, TableLayout.of(CHECKOUT), Rows.at("00:00"), Rows.at("01:00"), dims("web"), true,
                    new Long[] {5L, 5L, 0L}, null);
            Rows.upsert(c, TableLayout.of(STEPS), Rows.at("00:00"), Rows.at("01:00"), dims("ios"), true, new Long[] {4L, 1L}, 60000.0);
            Rows.upsert(c, TableLayout.of(STEPS), Rows.at("00:00"), Rows.at("01:00"), dims("web"), true, new Long[] {6L, 2L}, 30000.0);
            Rows.upsert(c, TableLayout.of(STEPS), Rows.at("01:00"), Rows.at("02:00"), dims("web"), false, new Long[] {3L, 0L}, null);
            Rows.metric(c, PAYOUTS, "00:00", dims(), 120.0, null, null, true);
            Rows.upsert(c, TableLayout.of(BUYERS), Rows.at("00:00"), Rows.at("00:00").plusMillis(DAY), dims("ios"), false,
                    2L, new Long[] {2L, 1L, 0L}, new Boolean[] {true, false, false});
        }
    }

    /** A GET with a token that may read every namespace. */
    private static Response get(String path) {
        return get(path, AccessReviewServer.allNamespaces());
    }

    /** A GET with {@code token} (none when null). */
    private static Response get(String path, String token) {
        var request = given().urlEncodingEnabled(false); // paths are written encoded (%00, %2B)
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.when().get(path).then().extract().response();
    }

    private static void expect(Response r, int status, String table, String json) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(status);
        if (table != null) {
            assertThat(r.header(QueryResource.TABLE_HEADER)).isEqualTo(table);
        }
        assertThat(r.asString()).isEqualTo(json);
    }

    private static String point(String start, String end, String dims, String value, boolean fin) {
        return "{\"windowStart\":\"2026-01-01T" + start + ":00Z\",\"windowEnd\":\"2026-01-01T" + end + ":00Z\",\"dimensions\":{" + dims
                + "},\"value\":" + value + ",\"final\":" + fin + "}";
    }

    private static String points(String... points) {
        return "{\"points\":[" + String.join(",", points) + "]}";
    }

    /** A count or sum breakdown whose series all fit the page: its points, best series first, and no other. */
    private static String breakdown(String... points) {
        return "{\"points\":[" + String.join(",", points) + "],\"other\":[]}";
    }

    @Test
    void windowGrainByEveryDimensionReadsTheDetailRowsAsTheyAre() {
        // a breakdown: ios (2 + 3 + 5 = 10) ranks before web (1 + 4 = 5), each series in time order
        expect(get("/api/v1/namespaces/growth/metrics/orders?" + RANGE), 200, "pulse_growth.mt_orders_aaaa000001", breakdown(
                point("00:00", "00:01", "\"platform\":\"ios\"", "2.0", true),
                point("00:01", "00:02", "\"platform\":\"ios\"", "3.0", true),
                point("01:00", "01:01", "\"platform\":\"ios\"", "5.0", false),
                point("00:00", "00:01", "\"platform\":\"web\"", "1.0", true),
                point("01:30", "01:31", "\"platform\":\"web\"", "4.0", true)));
    }

    @Test
    void totalsAtTheWindowGrainCombineDetailRowsAcrossDimensions() {
        // 00:00: 2 + 1; the others have one row each
        expect(get("/api/v1/namespaces/growth/metrics/orders?" + RANGE + "&groupBy="), 200, "pulse_growth.mt_orders_aaaa000001", points(
                point("00:00", "00:01", "", "3.0", true),
                point("00:01", "00:02", "", "3.0", true),
                point("01:00", "01:01", "", "5.0", false),
                point("01:30", "01:31", "", "4.0", true)));
    }

    @Test
    void hourlyGrainReadsTheRollupAndIsFinalOnlyOnceTheWatermarkPassedTheHour() {
        // ios 00:00 hour: 2 + 3; final since the latest final window ends 01:31 >= 01:00. The 01:00 hour is not over.
        expect(get("/api/v1/namespaces/growth/metrics/orders?" + RANGE + "&grain=1h"), 200, "pulse_growth.mt_orders_aaaa000001_r1h", breakdown(
                point("00:00", "01:00", "\"platform\":\"ios\"", "5.0", true),
                point("01:00", "02:00", "\"platform\":\"ios\"", "5.0", false),
                point("00:00", "01:00", "\"platform\":\"web\"", "1.0", true),
                point("01:00", "02:00", "\"platform\":\"web\"", "4.0", false)));
        // two hours, filtered to web: 1 + 4, from the 1h rollup (2h is a multiple of it)
        expect(get("/api/v1/namespaces/growth/metrics/orders?" + RANGE + "&grain=2h&groupBy=&filter=platform:web"), 200,
                "pulse_growth.mt_orders_aaaa000001_r1h", points(point("00:00", "02:00", "", "5.0", false)));
        // 30 minutes: no rollup divides it, so the detail table: 2+1+3 at 00:00, 5 at 01:00, 4 at 01:30
        expect(get("/api/v1/namespaces/growth/metrics/orders?" + RANGE + "&grain=30m&groupBy="), 200, "pulse_growth.mt_orders_aaaa000001",
                points(point("00:00", "00:30", "", "6.0", true), point("01:00", "01:30", "", "5.0", false),
                        point("01:30", "02:00", "", "4.0", false)));
    }

    @Test
    void distinctCountsAndPercentilesAtARollupGrainReadTheRollupOfTheWholeBucket() {
        // ios over the hour: {a, b} ∪ {b, c} = 3 distinct (the windows' counts add up to 4); web {a}, then {d} in the 01:00 hour
        expect(get("/api/v1/namespaces/growth/metrics/users?" + RANGE + "&grain=1h"), 200, "pulse_growth.mt_users_cccc000001_r1h",
                points(point("00:00", "01:00", "\"platform\":\"ios\"", "3.0", true),
                        point("00:00", "01:00", "\"platform\":\"web\"", "1.0", true),
                        point("01:00", "02:00", "\"platform\":\"web\"", "1.0", false)));
        // the window grain still reads the detail rows
        assertThat(get("/api/v1/namespaces/growth/metrics/users?" + RANGE).header(QueryResource.TABLE_HEADER))
                .isEqualTo("pulse_growth.mt_users_cccc000001");
        // the hour's merged sketch {1, 2, 3, 3, 3}: its p95 is 3
        expect(get("/api/v1/namespaces/growth/metrics/latency?" + RANGE + "&grain=1h"), 200, "pulse_growth.mt_latency_cccc000002_r1h",
                points(point("00:00", "01:00", "", "3.0", true), point("01:00", "02:00", "", "5.0", false)));
    }

    @Test
    void ratioPointsCarryTheirCountsAndANullValueWithoutDenominator() {
        expect(get("/api/v1/namespaces/growth/metrics/conversion?" + RANGE), 200, "pulse_growth.mt_conversion_bbbb000001",
                "{\"points\":[{\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-01T01:00:00Z\",\"dimensions\":{},"
                        + "\"value\":0.25,\"numerator\":1,\"denominator\":4,\"final\":true},"
                        + "{\"windowStart\":\"2026-01-01T01:00:00Z\",\"windowEnd\":\"2026-01-01T02:00:00Z\",\"dimensions\":{},"
                        + "\"value\":null,\"numerator\":0,\"denominator\":0,\"final\":true}]}");
    }

    @Test
    void aCachedAnswerIsReusedUntilNewerRowsLand() throws SQLException {
        String path = "/api/v1/namespaces/growth/metrics/visits?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z&grain=1h&groupBy=&limit=5";
        Response first = get(path);
        assertThat(first.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        expect(first, 200, "pulse_growth.mt_visits_ffff000001_r1h", points(point("00:00", "01:00", "", "6.0", true)));
        Response second = get(path);
        assertThat(second.header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
        assertThat(second.asString()).isEqualTo(first.asString());
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            Rows.metric(c, VISITS, "00:02", dims(), 7.0, null, null, true);
        }
        Response third = get(path);
        assertThat(third.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        expect(third, 200, "pulse_growth.mt_visits_ffff000001_r1h", points(point("00:00", "01:00", "", "13.0", true)));
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            Rows.metric(c, VISITS, "00:02", dims(), null, null, null, false); // ignored: a final row stays final
        }
        assertThat(get(path).header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
        given().when().get("/q/metrics").then().statusCode(200) // no token: Prometheus scrapes it
                .body(containsString("pulse_serving_cache_total{result=\"hit\""))
                .body(containsString("pulse_serving_query_seconds_count{cache=\"miss\",endpoint=\"metric\",table=\"rollup\""));
    }

    @Test
    void funnelRowsCarryEveryStepWithConversions() {
        expect(get("/api/v1/namespaces/growth/funnels/checkout?" + RANGE), 200, "pulse_growth.fn_checkout_dddd000001",
                "{\"rows\":[{\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-01T01:00:00Z\",\"dimensions\":{\"platform\":\"ios\"},"
                        + "\"steps\":[{\"name\":\"viewed\",\"count\":10,\"conversionFromFirst\":1.0,\"conversionFromPrevious\":1.0},"
                        + "{\"name\":\"carted\",\"count\":4,\"conversionFromFirst\":0.4,\"conversionFromPrevious\":0.4},"
                        + "{\"name\":\"purchased\",\"count\":1,\"conversionFromFirst\":0.1,\"conversionFromPrevious\":0.25}],"
                        + "\"medianConversionMs\":120000.0,\"final\":true},"
                        + "{\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-01T01:00:00Z\",\"dimensions\":{\"platform\":\"web\"},"
                        + "\"steps\":[{\"name\":\"viewed\",\"count\":5,\"conversionFromFirst\":1.0,\"conversionFromPrevious\":1.0},"
                        + "{\"name\":\"carted\",\"count\":5,\"conversionFromFirst\":1.0,\"conversionFromPrevious\":1.0},"
                        + "{\"name\":\"purchased\",\"count\":0,\"conversionFromFirst\":0.0,\"conversionFromPrevious\":0.0}],"
                        + "\"medianConversionMs\":null,\"final\":true}]}");
    }

    @Test
    void retentionReportsIncompletePeriodsAsNull() {
        expect(get("/api/v1/namespaces/growth/retention/buyers?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z"), 200,
                "pulse_growth.rt_buyers_eeee000001",
                "{\"cohorts\":[{\"cohortStart\":\"2026-01-01T00:00:00Z\",\"dimensions\":{\"platform\":\"ios\"},\"cohortSize\":2,"
                        + "\"retained\":[2,null,null],\"final\":false}]}");
    }

    @Test
    void anomaliesComeFromTheMetricsAnomaliesTable() {
        expect(get("/api/v1/namespaces/growth/metrics/orders/anomalies?" + RANGE), 200, "pulse_growth.mt_orders_aaaa000001_anomalies",
                "{\"anomalies\":[{\"windowStart\":\"2026-01-01T00:01:00Z\",\"windowEnd\":\"2026-01-01T00:02:00Z\","
                        + "\"dimensions\":{\"platform\":\"ios\"},\"observed\":3.0,\"expected\":1.0,\"lower\":0.0,\"upper\":2.0,\"score\":4.0}]}");
    }

    @Test
    void theCatalogListsEveryAnalysisWithItsTablesAndFreshness() {
        given().header("Authorization", "Bearer " + AccessReviewServer.allNamespaces()).when().get("/api/v1/catalog").then().statusCode(200)
                .body("analyses.findAll { it.namespace == 'growth' }.size()", equalTo(8))
                .body("analyses.find { it.name == 'orders' }.grains", equalTo(List.of("1m", "1h")))
                .body("analyses.find { it.name == 'orders' }.rollupTables", equalTo(List.of("pulse_growth.mt_orders_aaaa000001_r1h")))
                .body("analyses.find { it.name == 'orders' }.status", equalTo("active"))
                .body("analyses.find { it.name == 'checkout' }.steps", equalTo(List.of("viewed", "carted", "purchased")))
                .body("analyses.find { it.name == 'conversion' }.latestFinalWindowEnd", equalTo("2026-01-01T02:00:00Z"));
    }

    private static void badRequest(String path, String parameter, String message) {
        Response r = get(path);
        assertThat(r.statusCode()).as(path + ": " + r.asString()).isEqualTo(400);
        assertThat(r.jsonPath().getString("parameter")).as(path).isEqualTo(parameter);
        assertThat(r.jsonPath().getString("error")).as(path).contains(message);
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        String m = "/api/v1/namespaces/growth/metrics/orders?";
        badRequest(m + RANGE + "&groupBy=country", "groupBy", "unknown dimension 'country'");
        badRequest(m + RANGE + "&groupBy=platform,platform", "groupBy", "lists 'platform' twice");
        badRequest(m + RANGE + "&groupBy=" + "x".repeat(Selection.MAX_GROUP_BY_LENGTH + 1), "groupBy", "longer than 1024");
        badRequest(m + RANGE + "&filter=country:US", "filter", "unknown dimension 'country'");
        badRequest(m + RANGE + "&filter=platform", "filter", "is not dimension:value");
        badRequest(m + RANGE + "&filter=platform:i%00s", "filter", "contains a NUL character");
        badRequest(m + RANGE + "&filter=platform:" + "x".repeat(Selection.MAX_FILTER_VALUE_LENGTH + 1), "filter", "longer than 1024");
        badRequest(m + RANGE + "&filter=platform:" + "x".repeat(10_000), "filter", "longer than 1024");
        badRequest(m + RANGE + "&groupBy=" + "x".repeat(10_000), "groupBy", "longer than 1024");
        badRequest(m + RANGE + "&filter=platform:ios".repeat(Selection.MAX_FILTERS + 1), "filter", "at most 64");
        badRequest(m + "from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "is after to");
        badRequest(m + "from=yesterday", "from", "not an ISO-8601 instant");
        badRequest(m + "from=1969-12-31T23:59:59Z&to=2026-01-01T00:00:00Z", "from", "outside 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
        // overflowing ranges: once a 503 with PostgreSQL's text, and a 500 beyond what Instant holds
        badRequest(m + "from=-290000000-01-01T00:00:00Z&to=%2B290000000-01-01T00:00:00Z", "to", "outside");
        badRequest(m + "from=-290000000-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from", "outside");
        badRequest(m + "from=2026-01-01T00:00:00Z&to=%2B290000000-01-01T00:00:00Z", "to", "outside");
        badRequest(m + "from=2026-01-01T00:00:00Z&to=%2B1000000001-01-01T00:00:00Z", "to", "not an ISO-8601 instant");
        badRequest(m + "to=" + "9".repeat(65), "to", "longer than 64");
        badRequest(m + RANGE + "&grain=7x", "grain", "is not a duration");
        badRequest(m + RANGE + "&grain=999999999999d", "grain", "of at most 366d");
        badRequest(m + RANGE + "&grain=90s", "grain", "multiple of the window size 1m");
        badRequest(m + "from=2026-01-01T00:00:00Z&to=2026-01-31T00:00:00Z", "from", "at most 10000");
        badRequest(m + RANGE + "&limit=2", "limit", "more than 2 points");
        badRequest(m + RANGE + "&top=0", "top", "not a number between 1 and 1000");
        badRequest(m + RANGE + "&top=1001", "top", "not a number between 1 and 1000");
        badRequest(m + RANGE + "&cursor=bm9wZQ", "cursor", "not a cursor");
        badRequest(m + RANGE + "&cursor=" + "x".repeat(Cursor.MAX_LENGTH + 1), "cursor", "longer than 64");
        badRequest(m + RANGE + "&limit=0", "limit", "not a number between 1 and 10000");
        badRequest(m + RANGE + "&limit=99999999999999999999", "limit", "not a number between 1 and 10000");
        badRequest("/api/v1/namespaces/growth/metrics/users?" + RANGE + "&groupBy=", "groupBy",
                "countDistinct metric's values cannot be combined further: ask for one of the grains [1m, 1h]");
        badRequest("/api/v1/namespaces/growth/metrics/users?" + RANGE + "&grain=2h", "grain", "cannot be combined further");
        badRequest("/api/v1/namespaces/growth/funnels/checkout?" + RANGE + "&groupBy=", "groupBy", "counted by uniques cannot combine");
        badRequest("/api/v1/namespaces/growth/retention/buyers?from=2026-01-01T00:00:00Z&to=%2B99999-01-01T00:00:00Z", "to", "outside");
    }

    @Test
    void aTotalsFunnelCombinesBreakdownRowsInTheDatabase() {
        // 00:00: ios 4/1 + web 6/2 = 10/3; 01:00: web only, 3/0, provisional
        Response r = get("/api/v1/namespaces/growth/funnels/steps?" + RANGE + "&groupBy=");
        expect(r, 200, "pulse_growth.fn_steps_dddd000003",
                "{\"rows\":[{\"windowStart\":\"2026-01-01T00:00:00Z\",\"windowEnd\":\"2026-01-01T01:00:00Z\",\"dimensions\":{},"
                        + "\"steps\":[{\"name\":\"viewed\",\"count\":10,\"conversionFromFirst\":1.0,\"conversionFromPrevious\":1.0},"
                        + "{\"name\":\"purchased\",\"count\":3,\"conversionFromFirst\":0.3,\"conversionFromPrevious\":0.3}],"
                        + "\"medianConversionMs\":null,\"final\":true},"
                        + "{\"windowStart\":\"2026-01-01T01:00:00Z\",\"windowEnd\":\"2026-01-01T02:00:00Z\",\"dimensions\":{},"
                        + "\"steps\":[{\"name\":\"viewed\",\"count\":3,\"conversionFromFirst\":1.0,\"conversionFromPrevious\":1.0},"
                        + "{\"name\":\"purchased\",\"count\":0,\"conversionFromFirst\":0.0,\"conversionFromPrevious\":0.0}],"
                        + "\"medianConversionMs\":null,\"final\":false}]}");
    }

    @Test
    void noRequestGetsDatabaseTextAndEveryConnectionHasAStatementTimeoutAndCustomPlans() throws SQLException {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement(); var r = s.executeQuery("SHOW statement_timeout")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("10s");
        }
        try (Connection c = dataSource.getConnection(); var s = c.createStatement(); var r = s.executeQuery("SHOW plan_cache_mode")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("force_custom_plan");
        }
        // a NUL in a filter once reached PostgreSQL and came back as its error text in a 503
        Response r = get("/api/v1/namespaces/growth/funnels/checkout?" + RANGE + "&filter=platform:%00");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.asString()).doesNotContainIgnoringCase("postgres").doesNotContain("ERROR:").doesNotContain("0x00");
    }

    @Test
    void cacheKeysAreUnambiguousAndRefreshesWithinAWindowShareAnEntry() {
        String base = "/api/v1/namespaces/growth/funnels/checkout?from=2026-01-01T00:00:00Z";
        // two values, ios and web: both rows
        Response two = get(base + "&to=2026-01-01T02:00:00Z&filter=platform:ios&filter=platform:web");
        assertThat(two.jsonPath().getList("rows")).hasSize(2);
        // one value "ios, web": no row has it; under a key built as text it was the same entry
        Response one = get(base + "&to=2026-01-01T02:00:00Z&filter=platform:ios,%20web");
        assertThat(one.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        assertThat(one.jsonPath().getList("rows")).isEmpty();
        // to 30 s earlier: the same hourly windows start in the range, so the same entry
        Response first = get(base + "&to=2026-01-01T01:59:00Z");
        Response refresh = get(base + "&to=2026-01-01T01:59:30Z");
        assertThat(refresh.header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
        assertThat(refresh.asString()).isEqualTo(first.asString());
    }

    @Test
    void unknownAnalysesAre404() {
        Response r = get("/api/v1/namespaces/growth/metrics/nope?" + RANGE);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.jsonPath().getString("error")).isEqualTo("no Metric 'nope' in namespace 'growth'");
        assertThat(get("/api/v1/namespaces/other/metrics/orders").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/namespaces/growth/metrics/checkout").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/namespaces/growth/metrics/conversion/anomalies").jsonPath().getString("error"))
                .contains("has no anomaly detection");
    }

    /** The operator retires the version of a deleted analysis: from then on the API answers 404 for it, its table kept. */
    @Test
    void aRetiredAnalysisIsNoLongerServed() throws SQLException {
        AnalysisPlan refunds = Plans.metric("retiring", "refunds", "abcd000001", AggregationType.count, List.of(), MINUTE,
                List.of(HOUR), false, 400 * DAY);
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            ServingSchema.applyAnalyses(c, List.of(refunds));
            Rows.metric(c, refunds, "00:00", dims(), 9.0, null, null, true);
        }
        String path = "/api/v1/namespaces/retiring/metrics/refunds?" + RANGE;
        expect(get(path), 200, "pulse_retiring.mt_refunds_abcd000001", points(point("00:00", "00:01", "", "9.0", true)));

        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            ServingSchema.retire(c, "retiring", "Metric", "refunds");
        }
        Response gone = get(path);
        assertThat(gone.statusCode()).as(gone.asString()).isEqualTo(404);
        assertThat(gone.jsonPath().getString("error")).isEqualTo("no Metric 'refunds' in namespace 'retiring'");
        assertThat(get("/api/v1/namespaces/retiring/metrics/refunds?" + RANGE + "&grain=1h").statusCode()).isEqualTo(404);
        // the catalog still lists the version, as retired (its table stays until its rows would have expired)
        given().header("Authorization", "Bearer " + AccessReviewServer.allNamespaces()).when().get("/api/v1/catalog").then().statusCode(200)
                .body("analyses.find { it.name == 'refunds' }.status", equalTo("retired"));
    }

    @Test
    void withoutAValidTokenTheApiAnswers401() {
        for (String token : new String[] {null, "not-a-token", dev.pulse.testsupport.LocalAccessPolicy.generate().tokenForAllNamespaces()}) {
            for (String path : List.of("/api/v1/catalog", "/api/v1/namespaces/growth/metrics/orders?" + RANGE,
                    "/api/v1/namespaces/growth/metrics/nope?from=yesterday")) {
                Response r = get(path, token);
                assertThat(r.statusCode()).as(path + " with " + token).isEqualTo(401);
                assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
                assertThat(r.jsonPath().getString("error")).contains("bearer token");
            }
        }
        Response basic = given().header("Authorization", "Basic dXNlcjpwYXNz").when().get("/api/v1/catalog").then().extract().response();
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void aNamespaceTokenReadsItsNamespaceOnly() {
        String payments = AccessReviewServer.namespace("payments");
        // its own namespace
        expect(get("/api/v1/namespaces/payments/metrics/payouts?" + RANGE, payments), 200, "pulse_payments.mt_payouts_9999000001",
                points(point("00:00", "00:01", "", "120.0", true)));
        // another team's: 403 before anything about the query is looked at (an unknown name, a bad parameter)
        for (String path : List.of("/api/v1/namespaces/growth/metrics/orders?" + RANGE, "/api/v1/namespaces/growth/metrics/orders/anomalies",
                "/api/v1/namespaces/growth/funnels/checkout", "/api/v1/namespaces/growth/retention/buyers",
                "/api/v1/namespaces/growth/metrics/nope", "/api/v1/namespaces/growth/metrics/orders?from=yesterday")) {
            Response r = get(path, payments);
            assertThat(r.statusCode()).as(path).isEqualTo(403);
            assertThat(r.jsonPath().getString("error")).isEqualTo("pulse-local:namespace:payments may not get metrics.pulse.dev".replace(
                    "metrics", path.contains("/funnels/") ? "funnels" : path.contains("/retention/") ? "retentions" : "metrics")
                    + " in namespace 'growth'");
        }
        // the catalog lists its namespace only, and a growth token sees growth without payments
        Response catalog = get("/api/v1/catalog", payments);
        assertThat(catalog.statusCode()).isEqualTo(200);
        assertThat(catalog.jsonPath().getList("analyses.namespace", String.class)).containsExactly("payments");
        Response growth = get("/api/v1/catalog", AccessReviewServer.namespace("growth"));
        assertThat(growth.jsonPath().getList("analyses.namespace", String.class)).hasSize(8).containsOnly("growth");
        assertThat(get("/api/v1/namespaces/payments/metrics/payouts", AccessReviewServer.namespace("growth")).statusCode()).isEqualTo(403);
    }

    @Test
    void openApiHealthMetricsAndDashboardNeedNoToken() {
        given().when().get("/q/openapi?format=json").then().statusCode(200)
                .body(containsString("/api/v1/namespaces/{namespace}/metrics/{name}"))
                .body(containsString("/api/v1/catalog"));
        given().when().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().when().get("/").then().statusCode(200).body(containsString("echarts"));
        given().when().get("/_static/echarts/5.5.1/dist/echarts.min.js").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }
}
