package dev.pulse.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.common.WindowType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The query API. Each answer carries {@code X-Pulse-Table} (the table read), {@code X-Pulse-Cache}
 * ({@code hit} or {@code miss}), an {@code ETag} ({@code If-None-Match} with it: 304), and
 * {@code X-Pulse-Next} when another page follows; it is JSON, or CSV with {@code Accept: text/csv},
 * gzipped with {@code Accept-Encoding: gzip}.
 */
@Path("/api/v1/namespaces/{namespace}")
@Produces({MediaType.APPLICATION_JSON, QueryResource.TEXT_CSV})
public class QueryResource {
    public static final String TABLE_HEADER = "X-Pulse-Table";
    public static final String CACHE_HEADER = "X-Pulse-Cache";
    public static final String NEXT_HEADER = "X-Pulse-Next";
    public static final String TEXT_CSV = "text/csv";
    /** What a gzipped answer's entity tag adds to the plain one's (a strong tag names one encoding). */
    static final String GZIP_TAG_SUFFIX = "-gzip";

    @Inject
    DataSource dataSource;
    @Inject
    CatalogService catalog;
    @Inject
    AnswerCache cache;
    @Inject
    ServingConfig config;
    @Inject
    MeterRegistry registry;
    @Inject
    ObjectMapper json;
    @Context
    UriInfo uri;
    @Context
    HttpHeaders headers;

    @GET
    @Path("/metrics/{name}")
    @Operation(summary = "A metric's points", description = "Points whose window starts in [from, to), at a grain (a multiple of "
            + "the window size; default the window size), grouped by some dimensions (default all; empty for totals), filtered "
            + "by dimension values. Served from the coarsest rollup that can answer, else the detail table. A breakdown (grouped by "
            + "a dimension) holds the top series by their aggregate over the range, best first, and for count and sum 'other': the "
            + "rest summed per bucket. More pages: 'next', passed back as cursor.")
    @APIResponse(responseCode = "200", description = "{\"points\":[{windowStart, windowEnd, dimensions, value, numerator?, denominator?, "
            + "final}], \"other\"?: [points], \"next\"?: cursor}; CSV with Accept: text/csv")
    @APIResponse(responseCode = "304", description = "If-None-Match named the answer's current ETag")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @APIResponse(responseCode = "400", description = "a bad parameter")
    @APIResponse(responseCode = "404", description = "no such metric")
    @Authentication.Reads(AnalysisKind.Metric)
    public Response metric(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @Parameter(description = "ISO-8601 instant, inclusive (default: to minus 1 day)") @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 instant, exclusive (default: now)") @QueryParam("to") String to,
            @Parameter(description = "a duration like 1m, 1h, 1d") @QueryParam("grain") String grain,
            @Parameter(description = "comma-separated dimensions; empty for totals") @QueryParam("groupBy") String groupBy,
            @Parameter(description = "dimension:value, repeatable (values of one dimension: any of)") @QueryParam("filter") List<String> filter,
            @Parameter(description = "the most points of a page (default and maximum 10000)") @QueryParam("limit") String limit,
            @Parameter(description = "a breakdown's series per page, ranked by their aggregate over the range (default 20, at most 1000)")
            @QueryParam("top") String top,
            @Parameter(description = "the page to read: an answer's next") @QueryParam("cursor") String cursor) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Metric, name);
        long grainMs = Selection.grain(e, grain);
        Selection parsed = parse(e, from, to, present("groupBy", groupBy), filter);
        Selection sel = e.windowType() == WindowType.tumbling ? parsed.alignedToGrain(grainMs) : parsed.roundedToWindows(windowSpacing(e));
        checkBuckets(sel, grainMs);
        int max = limit(limit);
        int series = top(top);
        int topN = sel.groupBy().isEmpty() ? 0 : series;
        MetricRoute route = MetricRoute.of(e, grainMs, sel.allDimensions(e));
        AnswerCache.Key key = sel.key("metric", e, grainMs, max, topN);
        return answer("metric", route.rollup() ? "rollup" : "detail", route.tableName(), e, e.detail(), sel, key, cursor,
                (c, p, at) -> MetricQueries.points(c, e, route, sel, grainMs, p, max, topN, at));
    }

    @GET
    @Path("/metrics/{name}/anomalies")
    @Operation(summary = "A metric's anomalies", description = "Anomalous points whose window starts in [from, to).")
    @APIResponse(responseCode = "200", description = "{\"anomalies\":[{windowStart, windowEnd, dimensions, observed, expected, lower, upper, score}], "
            + "\"next\"?}")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @APIResponse(responseCode = "404", description = "no such metric, or its anomaly detection is off")
    @Authentication.Reads(AnalysisKind.Metric)
    public Response anomalies(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Metric, name);
        TableLayout table = e.anomalies();
        if (table == null) {
            throw new ApiError.NotFound("Metric '" + name + "' in namespace '" + namespace + "' has no anomaly detection");
        }
        Selection sel = parse(e, from, to, null, null).roundedToWindows(windowSpacing(e));
        return windowGrainAnswer("anomalies", e, table, sel, limit, cursor,
                (c, max, at) -> AnomalyQueries.anomalies(c, e, table, sel, max, at));
    }

    @GET
    @Path("/funnels/{name}")
    @Operation(summary = "A funnel's rows", description = "Step counts and conversions per reporting window starting in [from, to) "
            + "and breakdown (default every dimension; fewer only for countBy: totals).")
    @APIResponse(responseCode = "200", description = "{\"rows\":[{windowStart, windowEnd, dimensions, steps[{name, count, conversionFromFirst, conversionFromPrevious}], medianConversionMs, final}], \"next\"?}")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @Authentication.Reads(AnalysisKind.Funnel)
    public Response funnel(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("groupBy") String groupBy,
            @QueryParam("filter") List<String> filter, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Funnel, name);
        Selection sel = parse(e, from, to, present("groupBy", groupBy), filter).roundedToWindows(windowSpacing(e));
        return windowGrainAnswer("funnel", e, e.detail(), sel, limit, cursor, (c, max, at) -> FunnelQueries.rows(c, e, sel, max, at));
    }

    @GET
    @Path("/retention/{name}")
    @Operation(summary = "A retention's cohort table", description = "Cohorts starting in [from, to), by every dimension; "
            + "retained[k-1] is period k, null while incomplete.")
    @APIResponse(responseCode = "200", description = "{\"cohorts\":[{cohortStart, dimensions, cohortSize, retained[], final}], \"next\"?}")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @Authentication.Reads(AnalysisKind.Retention)
    public Response retention(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("filter") List<String> filter,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Retention, name);
        Selection sel = parse(e, from, to, null, filter).roundedToWindows(windowSpacing(e));
        return windowGrainAnswer("retention", e, e.detail(), sel, limit, cursor,
                (c, max, at) -> RetentionQueries.cohorts(c, e, sel, max, at));
    }

    /** Reads a page of at most {@code limit} rows. */
    @FunctionalInterface
    interface LimitedQuery {
        Object run(Connection c, int limit, Cursor at) throws SQLException;
    }

    /** An answer read at the analysis's window grain from one table (funnel, retention, anomalies), cached by its selection and limit. */
    private Response windowGrainAnswer(String endpoint, Catalog.Entry e, TableLayout table, Selection sel, String limit, String cursor,
            LimitedQuery query) {
        checkBuckets(sel, e.windowMs());
        int max = limit(limit);
        AnswerCache.Key key = sel.key(endpoint, e, e.windowMs(), max, 0);
        return answer(endpoint, "detail", table.schema() + "." + table.table(), e, table, sel, key, cursor, (c, p, at) -> query.run(c, max, at));
    }

    /** Computes a page of an answer on a connection, given the probed table's progress. */
    @FunctionalInterface
    interface Query {
        Object run(Connection c, ServingSchema.Progress progress, Cursor at) throws SQLException;
    }

    /**
     * Serves an answer: the cached one while {@link Freshness#stillValid} (its range unchanged since
     * it was read), else computed in one read-only repeatable-read transaction and kept.
     *
     * @param probed the table whose writes can change the answer (the detail table; a rollup is
     *               written in the same transaction as the detail rows it rolls up)
     */
    private Response answer(String endpoint, String tableKind, String tableName, Catalog.Entry e, TableLayout probed, Selection sel,
            AnswerCache.Key base, String cursor, Query query) {
        long started = System.nanoTime();
        boolean csv = wantsCsv();
        Cursor at = Cursor.parse(cursor, base.fingerprint());
        AnswerCache.Key key = base.with(at.offset(), csv ? "csv" : "json");
        try {
            AnswerCache.Entry seen = cache.find(key);
            AnswerCache.Entry entry;
            try (Connection c = dataSource.getConnection()) {
                entry = seen != null ? valid(c, probed, seen, sel) : null;
            }
            boolean hit = entry != null;
            if (hit) {
                cache.hit();
            } else {
                // one computation at a time per answer; it first looks whether the one before it left a valid answer
                entry = cache.computeOnce(key, () -> {
                    try (Connection c = dataSource.getConnection()) {
                        AnswerCache.Entry kept = cache.find(key);
                        kept = kept != null && kept != seen ? valid(c, probed, kept, sel) : null;
                        return kept != null ? kept : compute(c, probed, key, e, sel, csv, c2 -> query.run(c2.connection(), c2.progress(), at));
                    }
                });
            }
            Timer.builder("pulse.serving.query").description("query latency").publishPercentileHistogram()
                    .tag("endpoint", endpoint).tag("table", tableKind).tag("cache", hit ? "hit" : "miss")
                    .register(registry).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            return respond(key, entry, hit, tableName, csv);
        } catch (SQLException ex) {
            throw ApiError.storeFailed(ex);
        }
    }

    /** A cached answer when no row of its range changed since it was read (its asOf moved forward), else null. */
    private AnswerCache.Entry valid(Connection c, TableLayout probed, AnswerCache.Entry entry, Selection sel) throws SQLException {
        Freshness.AsOf now = validate(c, probed, entry.asOf().get(), sel);
        if (now == null) {
            return null;
        }
        entry.asOf().accumulateAndGet(now, (a, b) -> b.asOf().isAfter(a.asOf()) ? b : a);
        return entry;
    }

    private Freshness.AsOf validate(Connection c, TableLayout probed, Freshness.AsOf at, Selection sel) throws SQLException {
        try {
            return Freshness.stillValid(c, probed, at, sel.from(), sel.to(), config.cacheWriteSlack().toMillis());
        } catch (SQLException ex) {
            if ("42P01".equals(ex.getSQLState())) {
                return null; // the table is gone: computing says how
            }
            throw ex;
        }
    }

    /** What a computation reads with. */
    record Reading(Connection connection, ServingSchema.Progress progress) {
    }

    @FunctionalInterface
    interface Computation {
        Object run(Reading r) throws SQLException;
    }

    private AnswerCache.Entry compute(Connection c, TableLayout probed, AnswerCache.Key key, Catalog.Entry e, Selection sel, boolean csv,
            Computation query) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        boolean readOnly = c.isReadOnly();
        Object answer;
        Freshness.AsOf asOf;
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        c.setReadOnly(true);
        try {
            // one snapshot for every statement of the answer (a breakdown's page and other agree), and the one kept
            ServingSchema.Progress progress = ServingSchema.probe(c, probed);
            asOf = Freshness.now(c, progress.latestFinalWindowEnd(), sel.from(), sel.to());
            answer = query.run(new Reading(c, progress));
            c.commit();
        } catch (SQLException | RuntimeException ex) {
            c.rollback();
            throw ex;
        } finally {
            c.setAutoCommit(autoCommit);
            c.setTransactionIsolation(isolation);
            c.setReadOnly(readOnly);
        }
        byte[] body;
        if (csv) {
            body = CsvAnswers.encode(answer, e, sel.groupBy());
        } else {
            try {
                body = json.writeValueAsBytes(answer);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("an answer did not serialize", ex);
            }
        }
        String next = answer instanceof Answers.Paged p ? p.next() : null;
        return cache.put(key, body, next, asOf);
    }

    private Response respond(AnswerCache.Key key, AnswerCache.Entry entry, boolean hit, String tableName, boolean csv) {
        boolean gzip = acceptsGzip();
        String etag = gzip ? entry.etag().substring(0, entry.etag().length() - 1) + GZIP_TAG_SUFFIX + "\"" : entry.etag();
        Response.ResponseBuilder r;
        if (matches(headers.getHeaderString(HttpHeaders.IF_NONE_MATCH), entry.etag())) {
            r = Response.notModified();
        } else {
            r = Response.ok(gzip ? cache.gzip(key, entry) : entry.body(), csv ? TEXT_CSV + "; charset=utf-8" : MediaType.APPLICATION_JSON);
            if (gzip) {
                r.header(HttpHeaders.CONTENT_ENCODING, "gzip");
            }
        }
        if (entry.next() != null) {
            r.header(NEXT_HEADER, entry.next());
        }
        return r.header(HttpHeaders.ETAG, etag).header(HttpHeaders.VARY, "Accept, Accept-Encoding").header(TABLE_HEADER, tableName)
                .header(CACHE_HEADER, hit ? "hit" : "miss").build();
    }

    /** Whether an {@code If-None-Match} names the answer (either encoding's tag, weak or strong, or {@code *}). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String plain = etag.substring(1, etag.length() - 1);
        for (String t : ifNoneMatch.split(",")) {
            String tag = t.trim();
            if (tag.equals("*")) {
                return true;
            }
            tag = tag.startsWith("W/") ? tag.substring(2) : tag;
            if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                tag = tag.substring(1, tag.length() - 1);
                if (tag.equals(plain) || tag.equals(plain + GZIP_TAG_SUFFIX)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the client prefers CSV: {@code text/csv} comes before anything JSON matches in its {@code Accept}. */
    private boolean wantsCsv() {
        for (MediaType t : headers.getAcceptableMediaTypes()) {
            if (t.getType().equalsIgnoreCase("text") && t.getSubtype().equalsIgnoreCase("csv")) {
                return true;
            }
            if (t.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
        }
        return false;
    }

    /** Whether {@code Accept-Encoding} lists gzip (not with {@code q=0}). */
    private boolean acceptsGzip() {
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT_ENCODING);
        if (accept == null) {
            return false;
        }
        for (String part : accept.split(",")) {
            String[] p = part.trim().split(";");
            if (p[0].trim().equalsIgnoreCase("gzip")) {
                for (int k = 1; k < p.length; k++) {
                    String q = p[k].trim().replace(" ", "");
                    if (q.matches("q=0(\\.0*)?")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** A parameter's value, "" when given empty ({@code groupBy=}), null when absent. */
    private String present(String name, String value) {
        return value != null ? value : uri.getQueryParameters().containsKey(name) ? "" : null;
    }

    private Selection parse(Catalog.Entry e, String from, String to, String groupBy, List<String> filter) {
        return Selection.parse(e, from, to, groupBy, filter, Instant.now(), config.defaultRange().toMillis());
    }

    /** How far apart an analysis's windows start: the slide of a hopping window, else its size. */
    private static long windowSpacing(Catalog.Entry e) {
        var w = e.plan().window();
        return w != null && w.type() == WindowType.hopping && w.slideMs() > 0 ? w.slideMs() : e.windowMs();
    }

    private void checkBuckets(Selection s, long grainMs) {
        long buckets = (s.to().toEpochMilli() - s.from().toEpochMilli()) / grainMs;
        if (buckets > config.maxBuckets()) {
            throw new ApiError.BadParameter("from", "from/to: the range " + s.from() + " to " + s.to() + " spans " + buckets + " buckets of "
                    + dev.pulse.api.v1alpha1.common.Durations.format(grainMs) + "; at most " + config.maxBuckets()
                    + ": narrow the range or coarsen the grain");
        }
    }

    private static int top(String text) {
        if (text == null || text.isBlank()) {
            return MetricQueries.DEFAULT_TOP;
        }
        int top;
        try {
            top = text.length() > 10 ? -1 : Integer.parseInt(text.trim());
        } catch (NumberFormatException ex) {
            top = -1;
        }
        if (top < 1 || top > MetricQueries.MAX_TOP) {
            throw new ApiError.BadParameter("top", "top " + Selection.shown(text) + " is not a number between 1 and " + MetricQueries.MAX_TOP);
        }
        return top;
    }

    private int limit(String text) {
        if (text == null || text.isBlank()) {
            return config.maxPoints();
        }
        int limit;
        try {
            limit = text.length() > 10 ? -1 : Integer.parseInt(text.trim());
        } catch (NumberFormatException ex) {
            limit = -1;
        }
        if (limit < 1 || limit > config.maxPoints()) {
            throw new ApiError.BadParameter("limit", "limit " + Selection.shown(text) + " is not a number between 1 and " + config.maxPoints());
        }
        return limit;
    }
}
