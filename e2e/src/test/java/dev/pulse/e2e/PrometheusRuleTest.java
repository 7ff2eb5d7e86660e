package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart's PrometheusRule: its .spec passes `promtool check rules`, and every alert has a
 * `promtool test rules` file (src/test/resources/promtool) that shows it firing and not firing.
 */
class PrometheusRuleTest {
    private static final Path PROMTOOL_TESTS = Repo.root().resolve("e2e/src/test/resources/promtool");
    private static Path dir;
    private static JsonNode spec;

    @BeforeAll
    static void extractRules() throws IOException {
        spec = Rendered.defaults().one("PrometheusRule", Rendered.RELEASE).path("spec");
        dir = Repo.work("promtool");
        Rendered.YAML.writeValue(dir.resolve("pulse-rules.yaml").toFile(), spec);
        try (Stream<Path> stale = Files.list(dir)) { // test files removed from the sources must not linger from an earlier build
            for (Path t : stale.filter(p -> p.getFileName().toString().endsWith(".test.yaml")).collect(Collectors.toList())) {
                Files.delete(t);
            }
        }
        try (Stream<Path> tests = Files.list(PROMTOOL_TESTS)) {
            for (Path t : tests.collect(Collectors.toList())) {
                Files.copy(t, dir.resolve(t.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void passesPromtoolCheckRules() {
        Tools.Result r = Tools.runOk(dir, Tools.cmd(Tools.promtool(), "check", "rules", "pulse-rules.yaml"));
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void passesPromtoolTestRules() throws IOException {
        List<String> files = testFiles();
        assertThat(files).isNotEmpty();
        List<String> command = Tools.cmd(Tools.promtool(), "test", "rules");
        command.addAll(files);
        Tools.runOk(dir, command);
    }

    @Test
    void everyAlertIsTestedFiringAndNotFiring() throws IOException {
        Set<String> alerts = alerts();
        // issue 6: freshness objective breached, lag growing, job down, drift above tolerance, anomaly active, reconcile errors
        assertThat(alerts).contains("PulseAnalysisNotReady", "PulseLagHigh", "PulseLagGrowing", "PulseFreshnessObjectiveBreached",
                "PulseDriftOutOfTolerance", "PulsePipelineDown", "PulseAnomalyActive", "PulseReconcileErrors", "PulseOperatorDown");
        String allTests = String.join("\n", testFiles().stream().map(f -> Repo.read(dir.resolve(f))).collect(Collectors.toList()));
        for (String alert : alerts) {
            List<JsonNode> cases = new ArrayList<>();
            for (String f : testFiles()) {
                for (JsonNode test : Rendered.YAML.readTree(dir.resolve(f).toFile()).path("tests")) {
                    for (JsonNode c : test.path("alert_rule_test")) {
                        if (alert.equals(c.path("alertname").asText())) {
                            cases.add(c);
                        }
                    }
                }
            }
            assertThat(cases).as(alert + " is tested firing").anyMatch(c -> c.path("exp_alerts").size() > 0);
            if (!alert.equals("PulseOperatorDown")) {
                assertThat(cases).as(alert + " is tested not firing").anyMatch(c -> c.path("exp_alerts").size() == 0);
            }
            assertThat(allTests).contains("alertname: " + alert);
        }
    }

    @Test
    void everyAlertHasSeverityAndSummary() {
        for (JsonNode group : spec.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("info", "warning", "critical");
                assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
                assertThat(rule.at("/annotations/description").asText()).as(alert).isNotBlank();
            }
        }
    }

    /** The metric names the alerts use are the contract docs/install.md states for the operator. */
    @Test
    void metricsUsedByAlertsAreDocumented() {
        String install = Repo.read(Repo.root().resolve("docs/install.md"));
        for (String metric : metrics()) {
            assertThat(install).as("docs/install.md documents " + metric).contains("`" + metric);
        }
        for (String alert : alerts()) {
            assertThat(install).as("docs/install.md documents alert " + alert).contains(alert);
        }
    }

    /** Every metric an alert uses is one the operator exports (names in PulseMetrics), and every alert has a runbook. */
    @Test
    void alertsUseTheOperatorsMetricNamesAndLinkTheirRunbook() {
        String exported = Repo.read(Repo.root().resolve("operator/src/main/java/dev/pulse/operator/metrics/PulseMetrics.java"));
        for (String metric : metrics()) {
            String base = metric.endsWith("_total") ? metric.substring(0, metric.length() - "_total".length()) : metric;
            assertThat(exported).as("the operator exports " + metric).contains("\"" + base + "\"");
        }
        assertThat(metrics()).contains("pulse_analysis_lag_records", "pulse_analysis_lag_seconds", "pulse_analysis_latest_final_window_end_seconds",
                "pulse_analysis_drift_ratio", "pulse_pipeline_up", "pulse_anomalies_active");
        String operations = Repo.read(Repo.root().resolve("docs/operations.md"));
        for (JsonNode group : spec.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                String url = rule.at("/annotations/runbook_url").asText();
                assertThat(url).as(alert).endsWith("docs/operations.md#" + alert.toLowerCase(java.util.Locale.ROOT));
                assertThat(operations).as("docs/operations.md has a runbook section for " + alert).contains("### " + alert);
            }
        }
    }

    static Set<String> alerts() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode group : spec.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                out.add(rule.path("alert").asText());
            }
        }
        return out;
    }

    static Set<String> metrics() {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\bpulse_[a-z_]+").matcher(spec.toString());
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static List<String> testFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".test.yaml")).sorted().collect(Collectors.toList());
        }
    }
}
