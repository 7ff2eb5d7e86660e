package dev.pulse.serving;

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
 * The query API. Each answer carries {@code X-Pulse-Table} (the table read) and
 * {@code X-Pulse-Cache} ({@code hit} or {@code miss}).
 */
@Path("/api/v1/namespaces/{namespace}")
@Produces(MediaType.APPLICATION_JSON)
public class QueryResource {
    public static final String TABLE_HEADER = "X-Pulse-Table";
    public static final String CACHE_HEADER = "X-Pulse-Cache";

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
    @Context
    UriInfo uri;

    @GET
    @Path("/metrics/{name}")
    @Operation(summary = "A metric's points", description = "Points whose window starts in [from, to), at a grain (a multiple of "
            + "the window size; default the window size), grouped by some dimensions (default all; empty for totals), filtered "
            + "by dimension values. Served from the coarsest rollup that can answer, else the detail table.")
    @APIResponse(responseCode = "200", description = "{\"points\":[{windowStart, windowEnd, dimensions, value, numerator?, denominator?, final}]}")
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
            @Parameter(description = "the most points (default and maximum 10000)") @QueryParam("limit") String limit) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Metric, name);
        long grainMs = Selection.grain(e, grain);
        Selection parsed = parse(e, from, to, present("groupBy", groupBy), filter);
        Selection sel = e.windowType() == WindowType.tumbling ? parsed.alignedToGrain(grainMs) : parsed.roundedToWindows(windowSpacing(e));
        checkBuckets(sel, grainMs);
        int max = limit(limit);
        MetricRoute route = MetricRoute.of(e, grainMs, sel.allDimensions(e));
        AnswerCache.Key key = sel.key("metric", e, grainMs, max);
        return answer("metric", route.rollup() ? "rollup" : "detail", route.tableName(), e.detail(), key,
                (c, p) -> MetricQueries.points(c, e, route, sel, grainMs, p, max));
    }

    @GET
    @Path("/metrics/{name}/anomalies")
    @Operation(summary = "A metric's anomalies", description = "Anomalous points whose window starts in [from, to).")
    @APIResponse(responseCode = "200", description = "{\"anomalies\":[{windowStart, windowEnd, dimensions, observed, expected, lower, upper, score}]}")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @APIResponse(responseCode = "404", description = "no such metric, or its anomaly detection is off")
    @Authentication.Reads(AnalysisKind.Metric)
    public Response anomalies(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("limit") String limit) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Metric, name);
        TableLayout table = e.anomalies();
        if (table == null) {
            throw new ApiError.NotFound("Metric '" + name + "' in namespace '" + namespace + "' has no anomaly detection");
        }
        Selection sel = parse(e, from, to, null, null).roundedToWindows(windowSpacing(e));
        return windowGrainAnswer("anomalies", e, table, sel, limit, (c, max) -> AnomalyQueries.anomalies(c, e, table, sel, max));
    }

    @GET
    @Path("/funnels/{name}")
    @Operation(summary = "A funnel's rows", description = "Step counts and conversions per reporting window starting in [from, to) "
            + "and breakdown (default every dimension; fewer only for countBy: totals).")
    @APIResponse(responseCode = "200", description = "{\"rows\":[{windowStart, windowEnd, dimensions, steps[{name, count, conversionFromFirst, conversionFromPrevious}], medianConversionMs, final}]}")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @Authentication.Reads(AnalysisKind.Funnel)
    public Response funnel(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("groupBy") String groupBy,
            @QueryParam("filter") List<String> filter, @QueryParam("limit") String limit) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Funnel, name);
        Selection sel = parse(e, from, to, present("groupBy", groupBy), filter).roundedToWindows(windowSpacing(e));
        return windowGrainAnswer("funnel", e, e.detail(), sel, limit, (c, max) -> FunnelQueries.rows(c, e, sel, max));
    }

    @GET
    @Path("/retention/{name}")
    @Operation(summary = "A retention's cohort table", description = "Cohorts starting in [from, to), by every dimension; "
            + "retained[k-1] is period k, null while incomplete.")
    @APIResponse(responseCode = "200", description = "{\"cohorts\":[{cohortStart, dimensions, cohortSize, retained[], final}]}")
    @APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    @APIResponse(responseCode = "403", description = "the caller may not get this kind of analysis in the namespace")
    @Authentication.Reads(AnalysisKind.Retention)
    public Response retention(@PathParam("namespace") String namespace, @PathParam("name") String name,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("filter") List<String> filter,
            @QueryParam("limit") String limit) {
        Catalog.Entry e = catalog.find(namespace, AnalysisKind.Retention, name);
        Selection sel = parse(e, from, to, null, filter).roundedToWindows(windowSpacing(e));
        return windowGrainAnswer("retention", e, e.detail(), sel, limit, (c, max) -> RetentionQueries.cohorts(c, e, sel, max));
    }

    /** Reads an answer of at most {@code limit} rows. */
    @FunctionalInterface
    interface LimitedQuery {
        Object run(Connection c, int limit) throws SQLException;
    }

    /** An answer read at the analysis's window grain from one table (funnel, retention, anomalies), cached by its selection and limit. */
    private Response windowGrainAnswer(String endpoint, Catalog.Entry e, TableLayout table, Selection sel, String limit, LimitedQuery query) {
        checkBuckets(sel, e.windowMs());
        int max = limit(limit);
        AnswerCache.Key key = sel.key(endpoint, e, e.windowMs(), max);
        return answer(endpoint, "detail", table.schema() + "." + table.table(), table, key, (c, p) -> query.run(c, max));
    }

    /** Computes an answer on a connection, given the probed table's progress. */
    @FunctionalInterface
    interface Query {
        Object run(Connection c, ServingSchema.Progress progress) throws SQLException;
    }

    private Response answer(String endpoint, String tableKind, String tableName, TableLayout probed, AnswerCache.Key key, Query query) {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            ServingSchema.Progress progress = ServingSchema.probe(c, probed);
            AnswerCache.Lookup lookup = cache.get(key, progress, () -> query.run(c, progress));
            Timer.builder("pulse.serving.query").description("query latency").publishPercentileHistogram()
                    .tag("endpoint", endpoint).tag("table", tableKind).tag("cache", lookup.hit() ? "hit" : "miss")
                    .register(registry).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            return Response.ok(lookup.json(), MediaType.APPLICATION_JSON).header(TABLE_HEADER, tableName)
                    .header(CACHE_HEADER, lookup.hit() ? "hit" : "miss").build();
        } catch (SQLException ex) {
            throw ApiError.storeFailed(ex);
        }
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
