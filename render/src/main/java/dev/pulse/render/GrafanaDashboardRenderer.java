package dev.pulse.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.api.compile.Names;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.FunnelPlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One Grafana dashboard per analysis, in a ConfigMap the kube-prometheus-stack Grafana sidecar
 * loads (label {@code grafana_dashboard: "1"}; key {@code <analysis id>.json}). Its panels query
 * the analysis's serving table through a PostgreSQL datasource (by uid): the identifiers come
 * from {@link TableLayout} and are quoted, the time range is Grafana's {@code $__timeFilter}, and
 * missing dimension values (stored as {@link TableLayout#NULL_DIMENSION}) read back as NULL.
 * Pure: same plan, same ConfigMap.
 */
public final class GrafanaDashboardRenderer {
    public static final String DATASOURCE_TYPE = "grafana-postgresql-datasource";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Step names shown as column labels; anything else is shown as "step k". */
    private static final Pattern PLAIN_LABEL = Pattern.compile("^[A-Za-z0-9 _.:-]{1,60}$");
    private static final String WINDOW_START = TableLayout.quote(TableLayout.WINDOW_START);
    private static final String WINDOW_END = TableLayout.quote(TableLayout.WINDOW_END);

    private final String datasourceUid;

    public GrafanaDashboardRenderer(String datasourceUid) {
        if (datasourceUid == null || datasourceUid.isBlank()) {
            throw new IllegalArgumentException("a Grafana datasource uid is required");
        }
        this.datasourceUid = datasourceUid;
    }

    /** Name of the dashboard ConfigMap of an analysis: {@code <stream>-<mt|fn|rt>-<name>-dashboard}, hashed when too long. */
    public static String name(String stream, AnalysisPlan plan) {
        return Names.objectName(stream, plan.kind().prefix(), plan.name(), "dashboard");
    }

    /** The ConfigMap key of an analysis's dashboard. */
    public static String key(AnalysisPlan plan) {
        return plan.id() + ".json";
    }

    public ConfigMap render(EventStream stream, AnalysisPlan plan) {
        String streamName = stream.getMetadata().getName();
        Map<String, String> labels = new TreeMap<>(Labels.of(streamName, Labels.ROLE_DASHBOARD));
        labels.put(Labels.GRAFANA_DASHBOARD, "1");
        ConfigMap cm = new ConfigMap();
        cm.setMetadata(new ObjectMetaBuilder().withName(name(streamName, plan)).withNamespace(stream.getMetadata().getNamespace())
                .withLabels(labels).build());
        cm.setData(new TreeMap<>(Map.of(key(plan), dashboardJson(plan))));
        return cm;
    }

    /** The dashboard model (Grafana JSON) of an analysis. */
    public String dashboardJson(AnalysisPlan plan) {
        TableLayout table = TableLayout.of(plan);
        ObjectNode d = JSON.createObjectNode();
        // stable across semantic changes of the analysis, so links to it keep working; at most 40 characters
        d.put("uid", "pulse-" + PlanJson.sha256(plan.kind() + "/" + plan.namespace() + "/" + plan.name()).substring(0, 20));
        d.put("title", plan.kind() + " " + plan.namespace() + "/" + plan.name());
        d.put("description", "Pulse " + plan.kind() + " " + plan.id() + ", serving table " + table.qualifiedName());
        ArrayNode tags = d.putArray("tags");
        tags.add("pulse").add(plan.kind().name().toLowerCase(java.util.Locale.ROOT)).add(plan.namespace());
        d.put("timezone", "utc");
        d.put("editable", true);
        d.put("schemaVersion", 39);
        d.put("refresh", "1m");
        ObjectNode time = d.putObject("time");
        time.put("from", "now-24h");
        time.put("to", "now");
        ArrayNode panels = d.putArray("panels");
        switch (plan.kind()) {
            case Metric -> metricPanels(plan, table, panels);
            case Funnel -> funnelPanels(plan, table, panels);
            case Retention -> retentionPanels(plan, table, panels);
        }
        try {
            return JSON.writeValueAsString(d) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void metricPanels(AnalysisPlan plan, TableLayout table, ArrayNode panels) {
        List<String> dims = table.dimensionColumns();
        // cumulative windows share their start: show the widest window of each start
        StringBuilder sql = new StringBuilder("SELECT DISTINCT ON (").append(WINDOW_START);
        dims.forEach(c -> sql.append(", ").append(TableLayout.quote(c)));
        sql.append(")\n  ").append(WINDOW_START).append(" AS \"time\"");
        if (!dims.isEmpty()) {
            sql.append(",\n  ").append(seriesLabel(plan, dims)).append(" AS \"metric\"");
        }
        sql.append(",\n  ").append(TableLayout.VALUE.quoted()).append(" AS ").append(TableLayout.VALUE.quoted())
                .append("\nFROM ").append(table.qualifiedName())
                .append("\nWHERE $__timeFilter(").append(WINDOW_START).append(")\nORDER BY ").append(WINDOW_START);
        dims.forEach(c -> sql.append(", ").append(TableLayout.quote(c)));
        sql.append(", ").append(WINDOW_END).append(" DESC");
        panels.add(panel(1, "timeseries", plan.name() + " (" + plan.metric().aggregation() + ")", 0, 24, 10, "time_series", sql.toString()));

        StringBuilder rows = new StringBuilder("SELECT ").append(WINDOW_START).append(", ").append(WINDOW_END);
        dims.forEach(c -> rows.append(", ").append(dimension(c)));
        table.valueColumns().forEach(c -> rows.append(", ").append(c.quoted()));
        rows.append(", ").append(TableLayout.quote(TableLayout.FINAL)).append(", ").append(TableLayout.quote(TableLayout.UPDATED_AT))
                .append("\nFROM ").append(table.qualifiedName())
                .append("\nWHERE $__timeFilter(").append(WINDOW_START).append(")\nORDER BY ").append(WINDOW_START).append(" DESC")
                .append("\nLIMIT 500");
        panels.add(panel(2, "table", "Latest windows", 10, 24, 10, "table", rows.toString()));
    }

    private void funnelPanels(AnalysisPlan plan, TableLayout table, ArrayNode panels) {
        List<FunnelPlan.StepPlan> steps = plan.funnel().steps();
        List<String> dims = table.dimensionColumns();
        String counts = TableLayout.STEP_COUNTS.quoted();
        StringBuilder series = new StringBuilder("SELECT ").append(WINDOW_START).append(" AS \"time\"");
        if (!dims.isEmpty()) {
            series.append(",\n  ").append(seriesLabel(plan, dims)).append(" AS \"metric\"");
        }
        for (int k = 1; k <= steps.size(); k++) {
            series.append(",\n  ").append(counts).append('[').append(k).append("] AS ").append(stepLabel(steps, k));
        }
        series.append("\nFROM ").append(table.qualifiedName())
                .append("\nWHERE $__timeFilter(").append(WINDOW_START).append(")\nORDER BY ").append(WINDOW_START);
        panels.add(panel(1, "timeseries", plan.name() + ": step counts per window", 0, 24, 10, "time_series", series.toString()));

        StringBuilder totals = new StringBuilder("SELECT ");
        for (int k = 1; k <= steps.size(); k++) {
            totals.append(k == 1 ? "" : ",\n  ").append("sum(").append(counts).append('[').append(k).append("]) AS ")
                    .append(stepLabel(steps, k));
        }
        totals.append("\nFROM ").append(table.qualifiedName())
                .append("\nWHERE $__timeFilter(").append(WINDOW_START).append(")");
        panels.add(panel(2, "bargauge", plan.name() + ": steps over the range", 10, 24, 8, "table", totals.toString()));
    }

    private void retentionPanels(AnalysisPlan plan, TableLayout table, ArrayNode panels) {
        List<String> dims = table.dimensionColumns();
        String size = TableLayout.COHORT_SIZE.quoted();
        StringBuilder sql = new StringBuilder("SELECT ").append(WINDOW_START).append(" AS \"cohort\"");
        dims.forEach(c -> sql.append(", ").append(dimension(c)));
        sql.append(", ").append(size);
        for (int k = 1; k <= plan.retention().periods(); k++) {
            sql.append(",\n  CASE WHEN ").append(TableLayout.COMPLETE.quoted()).append('[').append(k).append("] THEN round(100.0 * ")
                    .append(TableLayout.RETAINED.quoted()).append('[').append(k).append("] / nullif(").append(size)
                    .append(", 0), 1) END AS \"period ").append(k).append(" %\"");
        }
        sql.append(",\n  ").append(TableLayout.quote(TableLayout.FINAL))
                .append("\nFROM ").append(table.qualifiedName())
                .append("\nWHERE $__timeFilter(").append(WINDOW_START).append(")\nORDER BY ").append(WINDOW_START).append(" DESC");
        dims.forEach(c -> sql.append(", ").append(TableLayout.quote(c)));
        panels.add(panel(1, "table", plan.name() + ": retention by cohort (complete periods)", 0, 24, 14, "table", sql.toString()));

        StringBuilder sizes = new StringBuilder("SELECT ").append(WINDOW_START).append(" AS \"time\", sum(").append(size)
                .append(") AS ").append(size).append("\nFROM ").append(table.qualifiedName())
                .append("\nWHERE $__timeFilter(").append(WINDOW_START).append(")\nGROUP BY 1\nORDER BY 1");
        panels.add(panel(2, "timeseries", "Cohort size", 14, 24, 8, "time_series", sizes.toString()));
    }

    /** A dimension column with the missing-value sentinel read back as NULL, under its own name. */
    private static String dimension(String column) {
        return "nullif(" + TableLayout.quote(column) + ", '" + TableLayout.NULL_DIMENSION + "') AS " + TableLayout.quote(column);
    }

    /** {@code dim=value, ...} naming one series; a missing value shows as {@code null}. */
    private static String seriesLabel(AnalysisPlan plan, List<String> columns) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String label = i < plan.dimensions().size() && PLAIN_LABEL.matcher(plan.dimensions().get(i)).matches()
                    ? plan.dimensions().get(i) : columns.get(i);
            parts.add("'" + label + "=' || coalesce(nullif(" + TableLayout.quote(columns.get(i)) + ", '" + TableLayout.NULL_DIMENSION
                    + "'), 'null')");
        }
        return "concat_ws(', ', " + String.join(", ", parts) + ")";
    }

    private static String stepLabel(List<FunnelPlan.StepPlan> steps, int k) {
        String stepName = steps.get(k - 1).name();
        String label = stepName != null && PLAIN_LABEL.matcher(stepName).matches() ? k + ". " + stepName : "step " + k;
        return "\"" + label + "\"";
    }

    private ObjectNode panel(int id, String type, String title, int y, int w, int h, String format, String sql) {
        ObjectNode p = JSON.createObjectNode();
        p.put("id", id);
        p.put("type", type);
        p.put("title", title);
        ObjectNode grid = p.putObject("gridPos");
        grid.put("x", 0);
        grid.put("y", y);
        grid.put("w", w);
        grid.put("h", h);
        p.set("datasource", datasource());
        ObjectNode target = p.putArray("targets").addObject();
        target.put("refId", "A");
        target.set("datasource", datasource());
        target.put("editorMode", "code");
        target.put("rawQuery", true);
        target.put("format", format);
        target.put("rawSql", sql);
        return p;
    }

    private ObjectNode datasource() {
        ObjectNode ds = JSON.createObjectNode();
        ds.put("type", DATASOURCE_TYPE);
        ds.put("uid", datasourceUid);
        return ds;
    }
}
