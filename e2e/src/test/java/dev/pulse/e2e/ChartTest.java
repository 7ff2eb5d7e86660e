package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** helm lint --strict, helm template, what is rendered and what values are refused. */
class ChartTest {

    @Test
    void lintsStrictWithDefaultAndFullValues() {
        Tools.runOk(Repo.root(), Tools.cmd(Tools.helm(), "lint", "--strict", Repo.chart().toString()));
        Tools.runOk(Repo.root(), Tools.cmd(Tools.helm(), "lint", "--strict", Repo.chart().toString(),
                "--values", Repo.root().resolve("e2e/src/test/resources/values-full.yaml").toString()));
        Tools.runOk(Repo.root(), Tools.cmd(Tools.helm(), "lint", "--strict", Repo.root().resolve("charts/pulse-namespace").toString(),
                "--namespace", "growth"));
    }

    @Test
    void rendersTheComponentsOfAnInstall() {
        Rendered r = Rendered.defaults();
        assertThat(r.objects).extracting(Rendered::id).contains(
                "Deployment pulse-system/pulse-operator", "Service pulse-system/pulse-operator",
                "ServiceAccount pulse-system/pulse-operator",
                "Deployment pulse-system/pulse-serving", "Service pulse-system/pulse-serving",
                "ClusterRole pulse-operator", "ClusterRoleBinding pulse-operator", "ClusterRole pulse-operator-crd-reader",
                "ClusterRole pulse-operator-namespace", "Role pulse-system/pulse-operator-reader-secret",
                "ClusterRole pulse-admin", "ClusterRole pulse-edit", "ClusterRole pulse-view",
                "ServiceMonitor pulse-system/pulse", "PrometheusRule pulse-system/pulse", "PodMonitor pulse-system/pulse-pipelines");
        assertThat(r.ofKind("NetworkPolicy", "Lease")).isEmpty();

        Rendered full = Rendered.full();
        assertThat(full.objects).extracting(Rendered::id).contains(
                "NetworkPolicy pulse-system/pulse-operator", "NetworkPolicy pulse-system/pulse-serving",
                "ConfigMap pulse-system/pulse-dashboard", "ConfigMap pulse-system/pulse-operator-config",
                "ConfigMap pulse-system/pulse-operator-templates");
    }

    @Test
    void lintsStrictWithEachOptionalFeatureOn() {
        for (List<String> feature : List.of(List.of("serving.ingress.enabled=true"),
                List.of("serving.httpRoute.enabled=true", "serving.httpRoute.parentRefs[0].name=gw"),
                List.of("metrics.serviceMonitor.force=true", "metrics.podMonitor.force=true", "metrics.prometheusRule.force=true"),
                List.of("metrics.grafanaDashboard.enabled=true"), List.of("networkPolicy.enabled=true"), List.of("operator.replicas=2"))) {
            List<String> command = Tools.cmd(Tools.helm(), "lint", "--strict", Repo.chart().toString());
            feature.forEach(f -> command.addAll(List.of("--set", f)));
            Tools.runOk(Repo.root(), command);
        }
    }

    @Test
    void servingGetsADisruptionBudgetWithTwoReplicasAndIsExposedOnlyWhenAsked() {
        assertThat(Rendered.defaults().one("PodDisruptionBudget", "pulse-serving").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(Rendered.render("one replica", "--set", "serving.replicas=1").ofKind("PodDisruptionBudget")).isEmpty();
        assertThat(Rendered.defaults().ofKind("Ingress", "HTTPRoute")).isEmpty();
        Rendered exposed = Rendered.render("exposed", "--set", "serving.ingress.enabled=true", "--set", "serving.ingress.host=pulse.acme.dev",
                "--set", "serving.httpRoute.enabled=true", "--set", "serving.httpRoute.parentRefs[0].name=gw", "--set", "serving.httpRoute.hostnames[0]=pulse.acme.dev");
        JsonNode ingress = exposed.one("Ingress", "pulse-serving");
        assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo("pulse.acme.dev");
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText()).isEqualTo("pulse-serving");
        JsonNode route = exposed.one("HTTPRoute", "pulse-serving");
        assertThat(route.at("/spec/parentRefs/0/name").asText()).isEqualTo("gw");
        assertThat(route.at("/spec/rules/0/backendRefs/0/name").asText()).isEqualTo("pulse-serving");
        assertThat(route.at("/spec/rules/0/backendRefs/0/port").asInt()).isEqualTo(80);
    }

    @Test
    void securityContextIsRestrictedByDefaultAndOverridable() {
        JsonNode pod = Rendered.defaults().one("Deployment", "pulse-operator").at("/spec/template/spec/securityContext");
        assertThat(pod.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("runAsUser").asInt()).isEqualTo(185);
        // OpenShift's restricted-v2 assigns the uid and fsGroup itself
        Rendered openshift = Rendered.render("openshift", "--set", "podSecurityContext.runAsUser=null", "--set", "podSecurityContext.runAsGroup=null",
                "--set", "podSecurityContext.fsGroup=null");
        for (String d : List.of("pulse-operator", "pulse-serving")) {
            JsonNode ctx = openshift.one("Deployment", d).at("/spec/template/spec/securityContext");
            assertThat(ctx.has("runAsUser") || ctx.has("fsGroup") || ctx.has("runAsGroup")).as(d).isFalse();
            assertThat(ctx.path("runAsNonRoot").asBoolean()).as(d).isTrue();
            assertThat(openshift.one("Deployment", d).at("/spec/template/spec/containers/0/securityContext/allowPrivilegeEscalation").asBoolean())
                    .as(d).isFalse();
        }
    }

    @Test
    void imagesCanBePinnedByDigest() {
        String digest = "sha256:" + "ab".repeat(32);
        Rendered pinned = Rendered.render("digest", "--set", "image.operator.digest=" + digest, "--set", "image.operator.tag=ignored");
        assertThat(pinned.one("Deployment", "pulse-operator").at("/spec/template/spec/containers/0/image").asText())
                .isEqualTo("ghcr.io/pulse-dev/pulse-operator@" + digest);
        assertThat(Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(), "--set", "image.operator.digest=latest"))
                .exitCode()).as("a digest that is not sha256:<64 hex> is refused").isNotZero();
    }

    @Test
    void peopleRolesCarryTheReleaseNameAndTheSchemaTakesGlobal() {
        Rendered other = Rendered.render("release analytics", "--set", "global.imageRegistry=registry.acme.dev");
        assertThat(other.objects).extracting(Rendered::id).contains("ClusterRole pulse-view");
        List<String> command = Tools.cmd(Tools.helm(), "template", "analytics", Repo.chart().toString(), "--namespace", "analytics-system");
        assertThat(Rendered.parse(Tools.runOk(Repo.root(), command).stdout()).stream().map(o -> o.path("kind").asText() + " " + o.at("/metadata/name").asText()))
                .contains("ClusterRole analytics-pulse-view", "ClusterRole analytics-pulse-edit", "ClusterRole analytics-pulse-admin");
    }

    @Test
    void operatorSettingsReachPulseConfigThroughItsEnvironment() {
        JsonNode container = Rendered.full().one("Deployment", "pulse-operator").at("/spec/template/spec/containers/0");
        List<String> env = names(container.path("env"));
        assertThat(env).contains("PULSE_KAFKA_BOOTSTRAP_SERVERS", "PULSE_KAFKA_DEFAULT_CLUSTER", "PULSE_FLINK_IMAGE",
                "PULSE_SERVING_DATABASE_SECRET", "PULSE_SERVING_READER_SECRET", "PULSE_SERVING_PIPELINE_SECRET", "PULSE_TEMPLATES_DIRECTORY", "PULSE_WATCH_NAMESPACES",
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_EVENTSTREAM_NAMESPACES", "QUARKUS_OPERATOR_SDK_CONTROLLERS_METRIC_NAMESPACES",
                "QUARKUS_OPERATOR_SDK_CONTROLLERS_FUNNEL_NAMESPACES", "QUARKUS_OPERATOR_SDK_CONTROLLERS_RETENTION_NAMESPACES",
                "PULSE_LEADER_ELECTION_ENABLED", "QUARKUS_CONFIG_LOCATIONS");
        assertThat(value(container, "PULSE_WATCH_NAMESPACES")).isEqualTo("growth,payments");
        assertThat(value(container, "PULSE_FLINK_IMAGE")).isEqualTo("ghcr.io/pulse-dev/pulse-pipeline:0.1.0-SNAPSHOT");
        assertThat(value(container, "PULSE_FLINK_STATE_CHECKPOINTS_DIR")).isEqualTo("s3://analytics-flink/checkpoints");
        assertThat(value(container, "PULSE_FLINK_STATE_SAVEPOINTS_DIR")).isEqualTo("s3://analytics-flink/savepoints");
        assertThat(value(container, "PULSE_FLINK_STATE_SECRET")).isEqualTo("pulse-flink-state");
        assertThat(Rendered.full().one("ConfigMap", "pulse-operator-config").at("/data/pulse.properties").asText())
                .contains("pulse.flink.state.flink-configuration.\"s3.endpoint\"=http://minio.minio.svc:9000\n",
                        "pulse.flink.state.flink-configuration.\"s3.path.style.access\"=true\n");

        JsonNode defaults = Rendered.defaults().one("Deployment", "pulse-operator").at("/spec/template/spec/containers/0");
        assertThat(names(defaults.path("env"))).doesNotContain("PULSE_WATCH_NAMESPACES", "PULSE_LEADER_ELECTION_ENABLED",
                "PULSE_TEMPLATES_DIRECTORY", "QUARKUS_CONFIG_LOCATIONS", "PULSE_FLINK_STATE_CHECKPOINTS_DIR",
                "PULSE_FLINK_STATE_SAVEPOINTS_DIR", "PULSE_FLINK_STATE_SECRET");
        assertThat(Rendered.defaults().one("Deployment", "pulse-operator").at("/spec/strategy/type").asText())
                .as("one operator at a time without leader election").isEqualTo("Recreate");
    }

    @Test
    void aTemplateDirectoryKeepsTheBuiltInDefaultTemplate() {
        JsonNode cm = Rendered.full().one("ConfigMap", "pulse-operator-templates");
        assertThat(cm.at("/data/default.yaml").asText())
                .isEqualTo(Repo.read(Repo.root().resolve("pipeline-templates/default.yaml")));
        assertThat(cm.at("/data/large.yaml").asText()).contains("memory: 8192m");
        assertThat(Repo.read(Repo.chart().resolve("files/pipeline-templates/default.yaml")))
                .as("charts/pulse/files/pipeline-templates/default.yaml is a copy of pipeline-templates/default.yaml")
                .isEqualTo(Repo.read(Repo.root().resolve("pipeline-templates/default.yaml")));
    }

    @Test
    void metricsAreScrapedFromQuarkusMetricsEndpoint() {
        JsonNode sm = Rendered.defaults().one("ServiceMonitor", "pulse");
        assertThat(sm.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
        assertThat(sm.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        for (JsonNode svc : Rendered.defaults().ofKind("Service")) {
            assertThat(svc.at("/spec/ports").findValuesAsText("name")).contains("http");
        }
    }

    /** The pipelines' pods: selected by the label the operator puts on every FlinkDeployment's pod template, on its metrics port. */
    @Test
    void pipelinesAreScrapedOnTheirMetricsPort() {
        JsonNode pm = Rendered.defaults().one("PodMonitor", "pulse-pipelines");
        assertThat(pm.at("/spec/podMetricsEndpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(pm.at("/spec/selector/matchExpressions/0/key").asText()).isEqualTo("pulse.dev/pipeline");
        assertThat(pm.at("/spec/namespaceSelector/any").asBoolean()).isTrue();
        String renderer = Repo.read(Repo.root().resolve("render/src/main/java/dev/pulse/render/FlinkDeploymentRenderer.java"));
        assertThat(renderer).contains("METRICS_PORT_NAME = \"metrics\"");
        JsonNode scoped = Rendered.full().one("PodMonitor", "pulse-pipelines");
        assertThat(scoped.at("/spec/namespaceSelector/matchNames").toString()).contains("growth", "payments");
        Tools.Result off = Tools.runOk(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(),
                "--set", "metrics.podMonitor.enabled=false"));
        assertThat(off.output()).doesNotContain("kind: PodMonitor");
    }

    @Test
    void schemaRefusesAPasswordInValuesAndUnknownKeys() {
        Tools.Result password = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(),
                "--set", "serving.database.password=hunter2"));
        assertThat(password.exitCode()).isNotZero();
        assertThat(password.stderr()).contains("password");

        Tools.Result storageKey = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(),
                "--set", "pipelines.state.flinkConfiguration.s3\\.secret-key=hunter2"));
        assertThat(storageKey.exitCode()).as("storage credentials belong in pipelines.state.credentialsSecret").isNotZero();

        Tools.Result localDir = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(),
                "--set", "pipelines.state.savepointsDir=/flink-data/savepoints"));
        assertThat(localDir.exitCode()).as("a directory is a URI with a scheme").isNotZero();

        Tools.Result typo = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(),
                "--set", "watchNamespace=growth"));
        assertThat(typo.exitCode()).isNotZero();

        Tools.Result badNamespace = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "pulse", Repo.chart().toString(),
                "--set", "watchNamespaces={Growth_Team}"));
        assertThat(badNamespace.exitCode()).isNotZero();
    }

    static List<String> names(JsonNode list) {
        return java.util.stream.StreamSupport.stream(list.spliterator(), false).map(n -> n.path("name").asText()).collect(Collectors.toList());
    }

    static String value(JsonNode container, String env) {
        for (JsonNode e : container.path("env")) {
            if (env.equals(e.path("name").asText())) {
                return e.path("value").asText();
            }
        }
        throw new AssertionError("no env " + env);
    }
}
