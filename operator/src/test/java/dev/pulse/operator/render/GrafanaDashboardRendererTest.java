package dev.pulse.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.funnel.Funnel;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.api.v1alpha1.retention.Retention;
import dev.pulse.operator.eventstream.StreamCompiler;
import dev.pulse.operator.eventstream.StreamState;
import dev.pulse.render.GrafanaDashboardRenderer;
import dev.pulse.render.Labels;
import dev.pulse.render.PipelineTemplates;
import dev.pulse.render.RenderSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard of each analysis of the golden shop stream: valid JSON, the datasource, SQL on the right table. */
class GrafanaDashboardRendererTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "EventStream", EventStream.class, "Metric", Metric.class, "Funnel", Funnel.class, "Retention", Retention.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static EventStream stream;
    private static StreamState state;

    @BeforeAll
    static void compile() throws Exception {
        List<HasMetadata> resources = new ArrayList<>();
        for (String doc : Files.readString(Path.of("src/test/resources/golden/in-shop.yaml")).split("(?m)^---\\s*$")) {
            if (doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            Map<?, ?> raw = YAML.unmarshal(doc, Map.class);
            resources.add(YAML.unmarshal(doc, KINDS.get((String) raw.get("kind"))));
        }
        stream = resources.stream().filter(EventStream.class::isInstance).map(EventStream.class::cast).findFirst().orElseThrow();
        RenderSettings settings = new RenderSettings("analytics", "b:9092", "img", "db", "my-postgres", RenderSettings.StateStorage.of(
                Optional.of("s3://pulse-test/checkpoints"), Optional.of("s3://pulse-test/savepoints"), Map.of(), Optional.empty()));
        state = new StreamCompiler(settings, new PipelineTemplates(Optional.of(Path.of("../pipeline-templates"))))
                .compile(stream, resources.stream().filter(r -> !(r instanceof EventStream)).toList(), Map.of());
        assertThat(state.deployable()).isTrue();
    }

    private static List<AnalysisPlan> analyses() {
        return state.plans().stream().map(PipelinePlan::analyses).flatMap(List::stream).toList();
    }

    @Test
    void oneLabelledOwnedConfigMapPerAnalysis() {
        assertThat(analyses()).extracting(AnalysisPlan::kind).containsExactlyInAnyOrder(AnalysisKind.Metric, AnalysisKind.Funnel, AnalysisKind.Retention);
        assertThat(state.dashboards()).hasSize(3);
        for (AnalysisPlan plan : analyses()) {
            ConfigMap cm = state.dashboards().get(GrafanaDashboardRenderer.name("shop-events", plan));
            assertThat(cm).as(plan.id()).isNotNull();
            assertThat(cm.getMetadata().getNamespace()).isEqualTo("growth");
            assertThat(cm.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1")
                    .containsEntry(Labels.MANAGED_BY, Labels.OPERATOR).containsEntry(Labels.STREAM, "shop-events")
                    .containsEntry(Labels.ROLE, Labels.ROLE_DASHBOARD).doesNotContainKey(Labels.PIPELINE);
            assertThat(cm.getData()).containsOnlyKeys(plan.id() + ".json");
        }
        // disjoint from the plan ConfigMaps
        assertThat(state.planConfigMaps().values()).allSatisfy(cm -> assertThat(cm.getMetadata().getLabels())
                .containsEntry(Labels.ROLE, Labels.ROLE_PLAN).doesNotContainKey("grafana_dashboard"));
        assertThat(state.dashboards().keySet()).doesNotContainAnyElementsOf(
                state.planConfigMaps().values().stream().map(cm -> cm.getMetadata().getName()).toList());
    }

    @Test
    void panelsQueryTheAnalysisTableThroughTheDatasource() throws Exception {
        for (AnalysisPlan plan : analyses()) {
            ConfigMap cm = state.dashboards().get(GrafanaDashboardRenderer.name("shop-events", plan));
            JsonNode dashboard = JSON.readTree(cm.getData().get(plan.id() + ".json"));
            assertThat(dashboard.path("uid").asText()).hasSizeLessThanOrEqualTo(40).startsWith("pulse-");
            assertThat(dashboard.path("title").asText()).contains(plan.name());
            JsonNode panels = dashboard.path("panels");
            assertThat(panels.isArray() && panels.size() > 0).as(plan.id()).isTrue();
            TableLayout table = TableLayout.of(plan);
            assertThat(table.qualifiedName()).isEqualTo("\"pulse_growth\".\"" + plan.serving().table() + "\"");
            for (JsonNode panel : panels) {
                assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("my-postgres");
                assertThat(panel.path("datasource").path("type").asText()).isEqualTo(GrafanaDashboardRenderer.DATASOURCE_TYPE);
                JsonNode target = panel.path("targets").get(0);
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("my-postgres");
                String sql = target.path("rawSql").asText();
                assertThat(sql).as(plan.id()).contains("FROM " + table.qualifiedName()).contains("$__timeFilter(\"window_start\")");
                for (String column : table.dimensionColumns()) {
                    assertThat(sql).as(plan.id()).contains(TableLayout.quote(column));
                }
                switch (plan.kind()) {
                    case Metric -> assertThat(sql).contains("\"value\"");
                    case Funnel -> assertThat(sql).contains("\"step_counts\"[1]").contains("\"step_counts\"[2]")
                            .contains("1. viewed").contains("2. purchased");
                    default -> assertThat(sql).contains("\"cohort_size\"");
                }
            }
            if (plan.kind() == AnalysisKind.Metric) {
                assertThat(table.dimensionColumns()).containsExactly("d_platform");
                assertThat(panels.get(0).path("type").asText()).isEqualTo("timeseries");
                assertThat(panels.get(0).path("targets").get(0).path("rawSql").asText())
                        .contains("\"window_start\" AS \"time\"").contains("AS \"metric\"")
                        .contains("nullif(\"d_platform\", '" + TableLayout.NULL_DIMENSION + "')");
            }
            if (plan.kind() == AnalysisKind.Retention) {
                String sql = panels.get(0).path("targets").get(0).path("rawSql").asText();
                assertThat(sql).contains("\"retained\"[7]").contains("\"complete\"[7]").doesNotContain("\"retained\"[8]");
            }
        }
    }

    @Test
    void theDatasourceUidDefaultsToPulsePostgres() throws Exception {
        AnalysisPlan metric = analyses().stream().filter(a -> a.kind() == AnalysisKind.Metric).findFirst().orElseThrow();
        ConfigMap cm = new GrafanaDashboardRenderer(new RenderSettings("a", "b", "c", "d").grafanaDatasourceUid()).render(stream, metric);
        JsonNode dashboard = JSON.readTree(cm.getData().get(GrafanaDashboardRenderer.key(metric)));
        assertThat(dashboard.path("panels").get(0).path("datasource").path("uid").asText()).isEqualTo("pulse-postgres");
    }
}
