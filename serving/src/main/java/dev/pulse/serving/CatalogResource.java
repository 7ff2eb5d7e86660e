package dev.pulse.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.serving.Catalog;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.v1alpha1.common.Durations;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/v1/catalog}: every analysis the store holds that the caller may read (may
 * {@code get} its kind in its namespace), with its tables and freshness.
 */
@Path("/api/v1/catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {
    @Inject
    DataSource dataSource;
    @Inject
    CatalogService catalog;
    @Inject
    AccessReviews access;
    @Inject
    RequestCaller caller;

    /** The catalog answer. */
    public record Analyses(List<Analysis> analyses) {
    }

    /**
     * One analysis version. {@code grains} are the window size and the rollup grains;
     * {@code latestFinalWindowEnd} and {@code latestUpdate} are read from its table now (live versions).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Analysis(String kind, String namespace, String name, String version, String status, List<String> dimensions,
            String window, List<String> grains, String aggregation, List<String> steps, Integer periods, String table,
            List<String> rollupTables, String anomaliesTable, String retention, String latestFinalWindowEnd, String latestUpdate,
            String createdAt, String retiredAt) {
    }

    @GET
    @Operation(summary = "The analyses the API can answer", description = "Every analysis version in the serving catalog "
            + "that the caller may read: kind, dimensions, grains, tables, status (active, catching_up, retired) and freshness.")
    @org.eclipse.microprofile.openapi.annotations.responses.APIResponse(responseCode = "401", description = "no valid Kubernetes bearer token")
    public Analyses list() {
        List<Analysis> out = new ArrayList<>();
        Caller who = caller.get();
        List<Catalog.Entry> visible = catalog.entries().stream().filter(e -> access.mayRead(who, e.namespace(), e.kind())).toList();
        try (Connection c = dataSource.getConnection()) {
            for (Catalog.Entry e : visible) {
                Instant latestFinal = e.latestFinalWindowEnd();
                Instant latestUpdate = e.latestUpdate();
                if (!e.status().equals(Catalog.RETIRED)) {
                    ServingSchema.Progress p = ServingSchema.probe(c, e.detail());
                    latestFinal = p.latestFinalWindowEnd();
                    latestUpdate = p.latestUpdate();
                }
                out.add(new Analysis(e.kind().name(), e.namespace(), e.name(), e.version(), e.status(), e.dimensions(),
                        window(e), e.grainsMs().stream().map(Durations::format).toList(),
                        e.plan().metric() == null ? null : e.plan().metric().aggregation().name(),
                        e.plan().funnel() == null ? null : e.plan().funnel().steps().stream().map(FunnelPlan.StepPlan::name).toList(),
                        e.plan().retention() == null ? null : e.plan().retention().periods(),
                        e.schema() + "." + e.table(), e.rollupTables().stream().map(t -> e.schema() + "." + t).toList(),
                        e.anomaliesTable() == null ? null : e.schema() + "." + e.anomaliesTable(),
                        Durations.format(e.retentionMs()), text(latestFinal), text(latestUpdate), text(e.createdAt()), text(e.retiredAt())));
            }
        } catch (SQLException ex) {
            throw ApiError.storeFailed(ex);
        }
        return new Analyses(out);
    }

    private static String window(Catalog.Entry e) {
        var w = e.plan().window();
        if (w == null) {
            return null;
        }
        return switch (w.type()) {
            case hopping -> "hopping " + Durations.format(w.sizeMs()) + " every " + Durations.format(w.slideMs());
            case cumulative -> "cumulative " + Durations.format(w.sizeMs()) + " by " + Durations.format(w.stepMs());
            case tumbling -> "tumbling " + Durations.format(w.sizeMs());
        };
    }

    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }
}
