package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Least privilege: no wildcards, no Secret access, namespaced Roles for a namespaced watch. */
class RbacTest {
    private static final List<String> PULSE_KINDS = List.of("eventstreams", "metrics", "funnels", "retentions");

    /** One rule flattened: every (apiGroup, resource, verb) it grants. */
    record Grant(String apiGroup, String resource, String verb) {
    }

    @Test
    void noRuleUsesAWildcardOrTouchesSecrets() {
        for (Rendered r : Rendered.all()) {
            for (JsonNode role : r.ofKind("Role", "ClusterRole")) {
                String id = Rendered.id(role) + " (" + r + ")";
                assertThat(role.path("rules")).as(id + " has rules").isNotEmpty();
                for (JsonNode rule : role.path("rules")) {
                    assertThat(texts(rule.path("verbs"))).as(id + " verbs").isNotEmpty().noneMatch(v -> v.contains("*"));
                    assertThat(texts(rule.path("resources"))).as(id + " resources").isNotEmpty().noneMatch(v -> v.contains("*"));
                    assertThat(texts(rule.path("apiGroups"))).as(id + " apiGroups").isNotEmpty().noneMatch(v -> v.contains("*"));
                    assertThat(rule.has("nonResourceURLs")).as(id + " nonResourceURLs").isFalse();
                    assertThat(texts(rule.path("resources"))).as(id + " never Secrets")
                            .doesNotContain("secrets", "pods/exec", "serviceaccounts/token");
                    assertThat(texts(rule.path("verbs"))).as(id + " no escalation verbs").doesNotContain("escalate", "bind", "impersonate");
                }
            }
        }
    }

    @Test
    void aClusterWideWatchUsesAClusterRole() {
        Rendered r = Rendered.defaults();
        assertThat(r.ofKind("Role", "RoleBinding")).isEmpty();
        Set<Grant> grants = grants(r.one("ClusterRole", "pulse-operator"));
        assertThat(grants).contains(new Grant("pulse.dev", "metrics/status", "patch"),
                new Grant("kafka.strimzi.io", "kafkatopics", "create"), new Grant("flink.apache.org", "flinkdeployments", "delete"),
                new Grant("", "configmaps", "create"), new Grant("", "events", "create"));
        JsonNode binding = r.one("ClusterRoleBinding", "pulse-operator");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("pulse-operator");
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(Rendered.NAMESPACE);
    }

    @Test
    void aNamespacedWatchUsesRolesInEachNamespaceOnly() {
        Rendered r = Rendered.full();
        assertThat(r.ofKind("ClusterRole")).extracting(o -> o.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("pulse-operator-crd-reader", "pulse-admin", "pulse-edit", "pulse-view", "pulse-serving-reviews");
        for (String ns : List.of("growth", "payments")) {
            JsonNode role = r.objects.stream().filter(o -> o.path("kind").asText().equals("Role")
                    && o.at("/metadata/namespace").asText().equals(ns)).findFirst().orElseThrow();
            assertThat(grants(role)).isEqualTo(grants(Rendered.defaults().one("ClusterRole", "pulse-operator")));
            JsonNode binding = r.objects.stream().filter(o -> o.path("kind").asText().equals("RoleBinding")
                    && o.at("/metadata/namespace").asText().equals(ns)).findFirst().orElseThrow();
            assertThat(binding.at("/roleRef/kind").asText()).isEqualTo("Role");
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(Rendered.NAMESPACE);
        }
    }

    @Test
    void theServingApiMayCreateTokenAndAccessReviewsOnlyAndOnlyWithAuthOn() {
        for (Rendered r : Rendered.all()) {
            assertThat(grants(r.one("ClusterRole", "pulse-serving-reviews"))).as(r.name).containsExactlyInAnyOrder(
                    new Grant("authentication.k8s.io", "tokenreviews", "create"),
                    new Grant("authorization.k8s.io", "subjectaccessreviews", "create"));
            JsonNode binding = r.one("ClusterRoleBinding", "pulse-serving-reviews");
            assertThat(binding.at("/roleRef/name").asText()).isEqualTo("pulse-serving-reviews");
            assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("pulse-serving");
            assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(Rendered.NAMESPACE);
            assertThat(binding.path("subjects")).hasSize(1);
            JsonNode env = r.one("Deployment", "pulse-serving").at("/spec/template/spec/containers/0/env");
            assertThat(env.toString()).contains("{\"name\":\"PULSE_SERVING_AUTH\",\"value\":\"kubernetes\"}");
        }
        Rendered none = Rendered.render("auth-none", "--set", "serving.auth=none");
        assertThat(none.objects).extracting(Rendered::id).doesNotContain("ClusterRole pulse-serving-reviews",
                "ClusterRoleBinding pulse-serving-reviews");
        assertThat(none.one("Deployment", "pulse-serving").at("/spec/template/spec/containers/0/env").toString())
                .contains("{\"name\":\"PULSE_SERVING_AUTH\",\"value\":\"none\"}");
        Tools.Result bogus = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", Rendered.RELEASE, Repo.chart().toString(),
                "--set", "serving.auth=open"));
        assertThat(bogus.exitCode()).as("serving.auth is kubernetes or none").isNotZero();
    }

    @Test
    void crdReadsAreByNameOnly() {
        JsonNode reader = Rendered.defaults().one("ClusterRole", "pulse-operator-crd-reader");
        assertThat(reader.path("rules")).hasSize(1);
        JsonNode rule = reader.path("rules").get(0);
        assertThat(texts(rule.path("verbs"))).containsExactly("get");
        assertThat(texts(rule.path("resourceNames"))).containsExactlyInAnyOrder("eventstreams.pulse.dev", "metrics.pulse.dev",
                "funnels.pulse.dev", "retentions.pulse.dev", "kafkatopics.kafka.strimzi.io", "flinkdeployments.flink.apache.org");
        for (Path crd : CrdTest.committedCrds()) {
            assertThat(texts(rule.path("resourceNames"))).as("every Pulse CRD is readable").contains(crd.getFileName().toString().replace(".yaml", ""));
        }
    }

    @Test
    void leaderElectionLeaseOnlyWithSeveralReplicas() {
        assertThat(Rendered.defaults().ofKind("Role")).isEmpty();
        JsonNode lease = Rendered.full().one("Role", "pulse-operator-leader-election");
        assertThat(lease.at("/metadata/namespace").asText()).isEqualTo(Rendered.NAMESPACE);
        assertThat(grants(lease)).containsExactlyInAnyOrder(new Grant("coordination.k8s.io", "leases", "get"),
                new Grant("coordination.k8s.io", "leases", "create"), new Grant("coordination.k8s.io", "leases", "update"));
    }

    @Test
    void peopleRolesAggregateIntoTheBuiltInRoles() {
        Rendered r = Rendered.defaults();
        assertThat(r.one("ClusterRole", "pulse-view").at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-view").asText()).isEqualTo("true");
        assertThat(r.one("ClusterRole", "pulse-edit").at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-edit").asText()).isEqualTo("true");
        assertThat(r.one("ClusterRole", "pulse-admin").at("/metadata/labels/rbac.authorization.k8s.io~1aggregate-to-admin").asText()).isEqualTo("true");
        assertThat(grants(r.one("ClusterRole", "pulse-view"))).allMatch(g -> Set.of("get", "list", "watch").contains(g.verb()));
        Set<Grant> edit = grants(r.one("ClusterRole", "pulse-edit"));
        for (String kind : PULSE_KINDS) {
            assertThat(edit).contains(new Grant("pulse.dev", kind, "create"), new Grant("pulse.dev", kind, "delete"));
            assertThat(edit).as("people do not write status: the operator does").doesNotContain(new Grant("pulse.dev", kind + "/status", "update"));
        }
    }

    /**
     * The chart grants what the operator declares (its @RBACRule annotations and what QOSDK derives,
     * as generated into operator/target/kubernetes/kubernetes.yml by the operator's build), except
     * create/delete of the Pulse resources themselves, which the operator never does.
     */
    @Test
    void coversTheRulesTheOperatorBuildGenerates() throws Exception {
        Path generated = Repo.root().resolve("operator/target/kubernetes/kubernetes.yml");
        Assumptions.assumeTrue(Files.isRegularFile(generated), "operator not built: " + generated + " is absent");
        Set<Grant> needed = new LinkedHashSet<>();
        for (JsonNode o : Rendered.parse(Files.readString(generated))) {
            if (o.path("kind").asText().equals("ClusterRole")) {
                needed.addAll(grants(o));
            }
        }
        needed.removeIf(g -> g.apiGroup().equals("pulse.dev") && PULSE_KINDS.contains(g.resource())
                && (g.verb().equals("create") || g.verb().equals("delete")));
        needed.removeIf(g -> g.apiGroup().equals("pulse.dev") && g.resource().endsWith("/status") && !Set.of("get", "patch", "update").contains(g.verb()));
        needed.removeIf(g -> g.apiGroup().equals("pulse.dev") && g.resource().endsWith("/finalizers") && !g.verb().equals("update"));
        Set<Grant> granted = new LinkedHashSet<>(grants(Rendered.defaults().one("ClusterRole", "pulse-operator")));
        granted.addAll(grants(Rendered.defaults().one("ClusterRole", "pulse-operator-crd-reader")));
        // the generated CRD rules are get+list without names; the chart grants get by name (all the operator does)
        needed.removeIf(g -> g.resource().equals("customresourcedefinitions") && g.verb().equals("list"));
        assertThat(granted).containsAll(needed);
    }

    static Set<Grant> grants(JsonNode role) {
        Set<Grant> out = new LinkedHashSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (String g : texts(rule.path("apiGroups"))) {
                for (String res : texts(rule.path("resources"))) {
                    for (String v : texts(rule.path("verbs"))) {
                        out.add(new Grant(g, res, v));
                    }
                }
            }
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
