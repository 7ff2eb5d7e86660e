package dev.pulse.serving;

import static dev.pulse.serving.Plans.DAY;
import static dev.pulse.serving.Plans.HOUR;
import static dev.pulse.serving.Plans.MINUTE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.v1alpha1.metric.AggregationType;
import dev.pulse.testsupport.PostgresExtension;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Answers shaped for dashboards, over the same application and database as {@link QueryApiTest}
 * (its own namespace, {@code shop}): the cache that survives writes to other windows, ETags and
 * 304s, gzip, top-N breakdowns with {@code other}, cursors, CSV. Expected values are recounted from
 * the rows the test wrote (in Java, or by SQL over the detail table), never taken from an answer.
 */
@QuarkusTest
@QuarkusTestResource(value = ServingDatabase.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AccessReviewServer.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardAnswersTest {
    static final AnalysisPlan SALES = Plans.metric("shop", "sales", "abcd000001", AggregationType.sum, List.of("product"), MINUTE,
            List.of(HOUR), false, 400 * DAY);
    static final AnalysisPlan ORDERS = Plans.metric("shop", "orders", "abcd000002", AggregationType.count, List.of("product", "region"),
            MINUTE, List.of(HOUR), false, 400 * DAY);
    /** Rewritten by the cache test; the others read SALES and ORDERS only. */
    static final AnalysisPlan VIEWS = Plans.metric("shop", "views", "abcd000003", AggregationType.sum, List.of("page"), MINUTE,
            List.of(HOUR), false, 400 * DAY);
    static final String RANGE = "from=2026-01-01T00:00:00Z&to=2026-01-01T03:00:00Z";
    static final int PRODUCTS = 23;

    /** What the test wrote: metric → (window start, dimension values) → value. */
    final Map<String, Map<String, Double>> written = new HashMap<>();

    @BeforeAll
    void seed() throws SQLException {
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            ServingSchema.applyAnalyses(c, List.of(SALES, ORDERS, VIEWS));
            for (int p = 0; p < PRODUCTS; p++) {
                for (int w = 0; w < 3; w++) {
                    // windows 00:0p, 01:1p, 02:2p; values distinct per product (no ties in the ranking)
                    String start = String.format("%02d:%02d", w, (w * 10 + p) % 60);
                    double sales = 1000 + p * 37 % 101 + w * 0.5;
                    write(c, SALES, start, new String[] {"p" + p}, sales);
                    write(c, ORDERS, start, new String[] {"p" + p, p % 2 == 0 ? "eu" : "us"}, (double) (p * 7 % 29 + w + 1));
                }
            }
            for (String page : List.of("home", "cart")) {
                write(c, VIEWS, "00:10", new String[] {page}, 10.0);
                write(c, VIEWS, "02:10", new String[] {page}, 20.0);
            }
            Rows.metric(c, VIEWS, "02:30", new String[] {"home"}, 1.0, null, null, true); // the latest final window ends 02:31
        }
    }

    private void write(Connection c, AnalysisPlan plan, String start, String[] dims, double value) throws SQLException {
        Rows.metric(c, plan, start, dims, value, null, null, true);
        written.computeIfAbsent(plan.name(), k -> new LinkedHashMap<>()).merge(start + "|" + String.join("|", dims), value, Double::sum);
    }

    private static Response get(String path, String... headers) {
        var request = given().urlEncodingEnabled(false).header("Authorization", "Bearer " + AccessReviewServer.allNamespaces());
        for (int k = 0; k < headers.length; k += 2) {
            request = request.header(headers[k], headers[k + 1]);
        }
        return request.when().get(path).then().extract().response();
    }

    /** The sum over the detail table of windows starting in [from, to), recounted by SQL. */
    private static double recount(AnalysisPlan plan, String from, String to) throws SQLException {
        try (Connection c = PostgresExtension.shared().database("serving_api");
                PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(value), 0) FROM " + plan.serving().schema() + "."
                        + plan.serving().table() + " WHERE window_start >= ?::timestamptz AND window_start < ?::timestamptz")) {
            s.setString(1, from);
            s.setString(2, to);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getDouble(1);
            }
        }
    }

    @Test
    void aCachedAnswerSurvivesWritesOutsideItsRangeAndIsRecomputedOnWritesInside() throws SQLException {
        String first = "/api/v1/namespaces/shop/metrics/views?from=2026-01-01T00:00:00Z&to=2026-01-01T01:00:00Z&grain=1h&groupBy=";
        String upToNow = "/api/v1/namespaces/shop/metrics/views?from=2026-01-01T00:00:00Z&to=2026-01-01T03:00:00Z&grain=1h&groupBy=";
        assertThat(get(first).header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        assertThat(get(upToNow).header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        Response hit = get(first);
        assertThat(hit.header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
        assertThat(hit.jsonPath().getDouble("points[0].value")).isEqualTo(recount(VIEWS, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z"));
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            // a late final row two hours later and a provisional write to the open window: both outside the first hour
            Rows.metric(c, VIEWS, "02:12", new String[] {"cart"}, 5.0, null, null, true);
            Rows.metric(c, VIEWS, "02:40", new String[] {"home"}, 3.0, null, null, false);
        }
        assertThat(get(first).header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
        // the answer that includes the open window is computed again, and has the new rows
        Response whole = get(upToNow);
        assertThat(whole.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        assertThat(whole.jsonPath().getDouble("points[2].value")).isEqualTo(recount(VIEWS, "2026-01-01T02:00:00Z", "2026-01-01T03:00:00Z"));
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            Rows.metric(c, VIEWS, "00:20", new String[] {"cart"}, 4.0, null, null, true);
        }
        Response fresh = get(first);
        assertThat(fresh.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        double recounted = recount(VIEWS, "2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z");
        assertThat(recounted).isEqualTo(24.0); // 10 + 10 + 4
        assertThat(fresh.jsonPath().getDouble("points[0].value")).isEqualTo(recounted);
        assertThat(get(first).header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
    }

    @Test
    void aWriteTransactionThatBeganBeforeTheAnswerAndCommittedAfterInvalidatesIt() throws SQLException {
        String path = "/api/v1/namespaces/shop/metrics/views?from=2026-01-01T02:50:00Z&to=2026-01-01T02:55:00Z&groupBy=";
        // the API's first answers (class loading, the catalog, the token review) before the write begins: the slack
        // (10 s) is about a writer's transaction that overlaps an answer, not about a cold server on a busy machine
        get("/api/v1/namespaces/shop/metrics/views?from=2026-01-01T02:40:00Z&to=2026-01-01T02:45:00Z&groupBy=");
        try (Connection writer = PostgresExtension.shared().database("serving_api")) {
            writer.setAutoCommit(false);
            // its rows carry updated_at = the transaction's start, before the answer below is read; provisional, so the
            // latest final window stays where it is and only the snapshot check can tell
            Rows.metric(writer, VIEWS, "02:52", new String[] {"home"}, 9.0, null, null, false);
            Response before = get(path);
            assertThat(before.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
            assertThat(before.jsonPath().getList("points")).isEmpty();
            assertThat(get(path).header(QueryResource.CACHE_HEADER)).isEqualTo("hit");
            writer.commit();
        }
        Response after = get(path);
        assertThat(after.header(QueryResource.CACHE_HEADER)).isEqualTo("miss");
        assertThat(after.jsonPath().getDouble("points[0].value")).isEqualTo(recount(VIEWS, "2026-01-01T02:50:00Z", "2026-01-01T02:55:00Z"))
                .isEqualTo(9.0);
    }

    @Test
    void anETagAnswersIfNoneMatchWith304UntilTheAnswerChanges() throws SQLException {
        String path = "/api/v1/namespaces/shop/metrics/views?from=2026-01-01T01:00:00Z&to=2026-01-01T02:00:00Z&grain=1h&groupBy=";
        Response first = get(path);
        String etag = first.header("ETag");
        assertThat(etag).startsWith("\"").endsWith("\"");
        Response again = get(path, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.asByteArray()).isEmpty();
        assertThat(again.header("ETag")).isEqualTo(etag);
        assertThat(get(path, "If-None-Match", "\"something-else\"").statusCode()).isEqualTo(200);
        try (Connection c = PostgresExtension.shared().database("serving_api")) {
            Rows.metric(c, VIEWS, "01:05", new String[] {"home"}, 2.0, null, null, true);
        }
        Response changed = get(path, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(changed.jsonPath().getDouble("points[0].value")).isEqualTo(recount(VIEWS, "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"));
    }

    @Test
    void gzipDecodesToTheSameJson() throws Exception {
        String path = "/api/v1/namespaces/shop/metrics/sales?" + RANGE + "&grain=1h";
        String plain = get(path).asString();
        // java.net.http does not decode gzip itself: the bytes are as sent
        HttpClient client = HttpClient.newHttpClient();
        for (int k = 0; k < 2; k++) { // computed, then from the cache
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                    .header("Authorization", "Bearer " + AccessReviewServer.allNamespaces()).header("Accept-Encoding", "gzip").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Encoding")).contains("gzip");
            assertThat(r.headers().firstValue("ETag").orElseThrow()).endsWith("-gzip\"");
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
            }
        }
    }

    /** Per series (dimension values) its total over the range and per hour bucket its total, from what the test wrote. */
    private Map<String, Double> seriesTotals(String metric) {
        Map<String, Double> out = new HashMap<>();
        written.get(metric).forEach((k, v) -> out.merge(k.substring(k.indexOf('|') + 1), v, Double::sum));
        return out;
    }

    private Map<String, Double> hourTotals(String metric) {
        Map<String, Double> out = new TreeMap<>();
        written.get(metric).forEach((k, v) -> out.merge("2026-01-01T" + k.substring(0, 2) + ":00:00Z", v, Double::sum));
        return out;
    }

    private static String series(JsonNode point, List<String> dims) {
        List<String> values = new ArrayList<>();
        dims.forEach(d -> values.add(point.get("dimensions").get(d).asText()));
        return String.join("|", values);
    }

    @Test
    void topSeriesAndOtherSumToTheTotalForSumAndCount() throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String metric : List.of("sales", "orders")) {
            List<String> dims = metric.equals("sales") ? List.of("product") : List.of("product", "region");
            JsonNode answer = json.readTree(get("/api/v1/namespaces/shop/metrics/" + metric + "?" + RANGE + "&grain=1h&top=5").asString());
            Map<String, Double> perBucket = new TreeMap<>();
            List<String> seen = new ArrayList<>();
            for (JsonNode p : answer.get("points")) {
                perBucket.merge(p.get("windowStart").asText(), p.get("value").asDouble(), Double::sum);
                String s = series(p, dims);
                if (!seen.contains(s)) {
                    seen.add(s);
                }
            }
            for (JsonNode p : answer.get("other")) {
                assertThat(p.get("dimensions").size()).isZero();
                perBucket.merge(p.get("windowStart").asText(), p.get("value").asDouble(), Double::sum);
            }
            assertThat(perBucket).as(metric).isEqualTo(hourTotals(metric));
            // the five series with the largest totals, best first
            Map<String, Double> totals = seriesTotals(metric);
            List<String> best = totals.keySet().stream().sorted((a, b) -> Double.compare(totals.get(b), totals.get(a))).limit(5).toList();
            assertThat(seen).as(metric).isEqualTo(best);
            assertThat(answer.get("next").asText()).isNotEmpty();
        }
    }

    @Test
    void pagingThroughEveryCursorYieldsEverySeriesOnce() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String base = "/api/v1/namespaces/shop/metrics/orders?" + RANGE + "&grain=1h&top=4";
        List<String> series = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json.readTree(get(base + (cursor == null ? "" : "&cursor=" + cursor)).asString());
            Set<String> onPage = new HashSet<>();
            page.get("points").forEach(p -> onPage.add(series(p, List.of("product", "region"))));
            assertThat(onPage.size()).isLessThanOrEqualTo(4);
            series.addAll(onPage);
            cursor = page.has("next") ? page.get("next").asText() : null;
            pages++;
        } while (cursor != null && pages < 50);
        assertThat(series).hasSize(PRODUCTS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(series)).isEqualTo(seriesTotals("orders").keySet());
        assertThat(pages).isEqualTo((PRODUCTS + 3) / 4);
        // totals page by points: limit 2 over the three hours
        List<String> starts = new ArrayList<>();
        cursor = null;
        do {
            JsonNode page = json.readTree(get("/api/v1/namespaces/shop/metrics/orders?" + RANGE + "&grain=1h&groupBy=&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).asString());
            page.get("points").forEach(p -> starts.add(p.get("windowStart").asText()));
            cursor = page.has("next") ? page.get("next").asText() : null;
        } while (cursor != null && starts.size() < 10);
        assertThat(starts).containsExactly("2026-01-01T00:00:00Z", "2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z");
        // a cursor of another query is refused
        String other = json.readTree(get(base).asString()).get("next").asText();
        Response refused = get("/api/v1/namespaces/shop/metrics/orders?" + RANGE + "&grain=2h&top=4&cursor=" + other);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.jsonPath().getString("parameter")).isEqualTo("cursor");
    }

    @Test
    void csvHoldsTheSameRowsAsJson() throws IOException {
        String path = "/api/v1/namespaces/shop/metrics/orders?" + RANGE + "&grain=1h&top=3";
        JsonNode answer = new ObjectMapper().readTree(get(path).asString());
        Response csv = get(path, "Accept", "text/csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header(QueryResource.NEXT_HEADER)).isEqualTo(answer.get("next").asText());
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.asByteArray())) {
            it.forEachRemaining(rows::add);
        }
        List<Map<String, String>> expected = new ArrayList<>();
        for (String part : List.of("points", "other")) {
            for (JsonNode p : answer.get(part)) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("other", Boolean.toString(part.equals("other")));
                row.put("windowStart", p.get("windowStart").asText());
                row.put("windowEnd", p.get("windowEnd").asText());
                for (String d : List.of("product", "region")) {
                    row.put(d, p.get("dimensions").has(d) ? p.get("dimensions").get(d).asText() : "");
                }
                row.put("value", Double.toString(p.get("value").asDouble()));
                row.put("numerator", "");
                row.put("denominator", "");
                row.put("final", p.get("final").asText());
                expected.add(row);
            }
        }
        assertThat(expected).hasSizeGreaterThan(9);
        assertThat(rows).isEqualTo(expected);
        // an error is JSON, CSV asked or not
        Response bad = get("/api/v1/namespaces/shop/metrics/orders?" + RANGE + "&top=0", "Accept", "text/csv");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.jsonPath().getString("parameter")).isEqualTo("top");
    }
}
