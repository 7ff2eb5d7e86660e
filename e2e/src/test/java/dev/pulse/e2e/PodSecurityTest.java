package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pod Security Standard "restricted" on every workload, with probes and resources. */
class PodSecurityTest {

    private static List<JsonNode> podTemplates(Rendered r) {
        List<JsonNode> workloads = r.ofKind("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod");
        assertThat(workloads).as("workloads in the %s rendering", r).isNotEmpty();
        return workloads;
    }

    @Test
    void everyPodIsRestricted() {
        for (Rendered r : Rendered.all()) {
            for (JsonNode w : podTemplates(r)) {
                String id = Rendered.id(w) + " (" + r + ")";
                JsonNode pod = w.at("/spec/template/spec");
                assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as(id + " pod runAsNonRoot").isTrue();
                assertThat(pod.at("/securityContext/seccompProfile/type").asText()).as(id + " pod seccomp").isEqualTo("RuntimeDefault");
                assertThat(pod.at("/securityContext/runAsUser").asInt()).as(id + " runAsUser").isPositive();
                assertThat(pod.path("hostNetwork").asBoolean(false)).as(id + " hostNetwork").isFalse();
                assertThat(pod.path("hostPID").asBoolean(false)).as(id + " hostPID").isFalse();
                assertThat(pod.path("hostIPC").asBoolean(false)).as(id + " hostIPC").isFalse();
                for (JsonNode v : pod.path("volumes")) {
                    assertThat(v.has("hostPath")).as(id + " volume " + v.path("name").asText() + " is no hostPath").isFalse();
                }
                List<JsonNode> containers = new java.util.ArrayList<>();
                pod.path("initContainers").forEach(containers::add);
                pod.path("containers").forEach(containers::add);
                assertThat(containers).isNotEmpty();
                for (JsonNode c : containers) {
                    String cid = id + " container " + c.path("name").asText();
                    JsonNode sc = c.path("securityContext");
                    assertThat(sc.path("runAsNonRoot").asBoolean()).as(cid + " runAsNonRoot").isTrue();
                    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as(cid + " readOnlyRootFilesystem").isTrue();
                    assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean())
                            .as(cid + " allowPrivilegeEscalation: false").isTrue();
                    assertThat(sc.path("privileged").asBoolean(false)).as(cid + " privileged").isFalse();
                    assertThat(textList(sc.at("/capabilities/drop"))).as(cid + " drops ALL").containsExactly("ALL");
                    assertThat(sc.at("/capabilities/add").isMissingNode() || sc.at("/capabilities/add").isEmpty())
                            .as(cid + " adds no capability").isTrue();
                    assertThat(sc.at("/seccompProfile/type").asText()).as(cid + " seccomp").isEqualTo("RuntimeDefault");
                    assertThat(c.at("/resources/requests/cpu").isMissingNode()).as(cid + " cpu request").isFalse();
                    assertThat(c.at("/resources/requests/memory").isMissingNode()).as(cid + " memory request").isFalse();
                    assertThat(c.at("/resources/limits/memory").isMissingNode()).as(cid + " memory limit").isFalse();
                    assertThat(mountPaths(c)).as(cid + " has a writable /tmp (the root filesystem is read-only)").contains("/tmp");
                }
            }
        }
    }

    @Test
    void quarkusServicesHaveHealthProbes() {
        for (Rendered r : Rendered.all()) {
            for (JsonNode w : podTemplates(r)) {
                JsonNode c = w.at("/spec/template/spec/containers/0");
                String id = Rendered.id(w) + " (" + r + ")";
                assertThat(c.at("/livenessProbe/httpGet/path").asText()).as(id).isEqualTo("/q/health/live");
                assertThat(c.at("/readinessProbe/httpGet/path").asText()).as(id).isEqualTo("/q/health/ready");
                assertThat(c.at("/startupProbe/httpGet/path").asText()).as(id).isEqualTo("/q/health/started");
                assertThat(c.at("/ports/0/containerPort").asInt()).as(id).isEqualTo(8080);
            }
        }
    }

    @Test
    void theServingApiMountsAnApiTokenOnlyToReviewCallers() {
        for (Rendered r : Rendered.all()) {
            assertThat(r.one("Deployment", "pulse-serving").at("/spec/template/spec/automountServiceAccountToken").asBoolean(false))
                    .as("serving.auth kubernetes: the API creates TokenReviews and SubjectAccessReviews").isTrue();
            assertThat(r.one("Deployment", "pulse-operator").at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("pulse-operator");
        }
        Rendered none = Rendered.render("auth-none", "--set", "serving.auth=none");
        assertThat(none.one("Deployment", "pulse-serving").at("/spec/template/spec/automountServiceAccountToken").asBoolean(true))
                .as("serving.auth none: no Kubernetes API access").isFalse();
    }

    private static List<String> textList(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> mountPaths(JsonNode container) {
        List<String> out = new java.util.ArrayList<>();
        container.path("volumeMounts").forEach(m -> out.add(m.path("mountPath").asText()));
        return out;
    }
}
