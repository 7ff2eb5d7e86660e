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

/** Least privilege: no wildcards, Secrets only by name, namespaced Roles for a namespaced watch, writes only in onboarded namespaces. */
class RbacTest {
    private static final List<String> PULSE_KINDS = List.of("eventstreams", "metrics", "funnels", "retentions");

    /** One rule flattened: every (apiGroup, resource, verb) it grants. */
    record Grant(String apiGroup, String resource, String verb) {
    }

    @Test
    void noRuleUsesAWildcardAndSecretsOnlyByName() {
        List<Rendered> renderings = new ArrayList<>(Rendered.all());
        renderings.add(Rendered.onboarding("growth"));
        for (Rendered r : renderings) {
            for (JsonNode role : r.ofKind("Role", "ClusterRole")) {
                String id = Rendered.id(role) + " (" + r + ")";
                assertThat(role.path("rules")).as(id + " has rules").isNotEmpty();
                for (JsonNode rule : role.path("rules")) {
                    assertThat(texts(rule.path("verbs"))).as(id + " verbs").isNotEmpty().noneMatch(v -> v.contains("*"));
                    assertThat(texts(rule.path("resources"))).as(id + " resources").isNotEmpty().noneMatch(v -> v.contains("*"));
                    assertThat(texts(rule.path("apiGroups"))).as(id + " apiGroups").isNotEmpty().noneMatch(v -> v.contains("*"));
                    assertThat(rule.has("nonResourceURLs")).as(id + " nonResourceURLs").isFalse();
                    assertThat(texts(rule.path("resources"))).as(id + " never exec, tokens or bindings")
                            .doesNotContain("pods/exec", "pods/attach", "serviceaccounts/token", "rolebindings", "clusterrolebindings");
                    assertThat(texts(rule.path("verbs"))).as(id + " no escalation verbs").doesNotContain("escalate", "bind", "impersonate");
                    if (texts(rule.path("resources")).contains("secrets")) {
                        // the operator writes its own database logins: create (which takes no name), else by name only
                        assertThat(texts(rule.path("resources"))).as(id + " Secrets in a rule of their own").containsExactly("secrets");
                        assertThat(texts(rule.path("verbs"))).as(id + " Secrets: no list, watch or delete")
                                .doesNotContain("list", "watch", "delete", "deletecollection");
                        if (!texts(rule.path("verbs")).equals(List.of("create"))) {
                            assertThat(texts(rule.path("resourceNames"))).as(id + " Secrets by name").isNotEmpty()
                                    .allMatch(n -> n.equals("pulse-pipeline-db") || n.equals("pulse-serving-reader"));
                        }
                    }
                }
            }
        }
    }

    /** Whatever the operator's service account may do in every namespace: the rules of each ClusterRole a ClusterRoleBinding gives it. */
    private static Set<Grant> clusterWide(Rendered r) {
        Set<Grant> out = new LinkedHashSet<>();
        for (JsonNode binding : r.ofKind("ClusterRoleBinding")) {
            boolean operator = false;
            for (JsonNode subject : binding.path("subjects")) {
                operator |= subject.path("kind").asText().equals("ServiceAccount") && subject.path("name").asText().equals("pulse-operator")
                        && subject.path("namespace").asText().equals(Rendered.NAMESPACE);
            }
            if (operator) {
                out.addAll(grants(r.one("ClusterRole", binding.at("/roleRef/name").asText())));
            }
        }
        return out;
    }

    /** Resources through which the operator could run code or reach data: pods and what makes pods, its pipelines, their plans, Secrets, RBAC. */
    private static final Set<String> WORKLOADS = Set.of("pods", "deployments", "statefulsets", "daemonsets", "replicasets", "jobs",
            "cronjobs", "replicationcontrollers", "flinkdeployments", "flinksessionjobs", "configmaps", "secrets", "kafkatopics",
            "serviceaccounts", "roles", "rolebindings", "clusterroles", "clusterrolebindings");

    /**
     * With the default values (a cluster-wide watch), nothing bound cluster-wide lets the operator
     * create or change pods, FlinkDeployments (whose pod template and service account would be pod
     * creation), ConfigMaps, KafkaTopics or Secrets in any namespace: it only reads them. The write
     * rules are a ClusterRole the main chart binds nowhere.
     */
    @Test
    void theDefaultInstallCannotCreatePodsOrPipelinesOutsideOnboardedNamespaces() {
        Rendered r = Rendered.defaults();
        Set<Grant> everywhere = clusterWide(r);
        assertThat(everywhere).as("the operator watches its resources cluster-wide")
                .contains(new Grant("pulse.dev", "eventstreams", "watch"), new Grant("flink.apache.org", "flinkdeployments", "watch"));
        assertThat(everywhere).filteredOn(g -> WORKLOADS.contains(g.resource()))
                .as("cluster-wide, workloads are only read").allMatch(g -> Set.of("get", "list", "watch").contains(g.verb()));
        assertThat(everywhere).filteredOn(g -> g.resource().equals("secrets") || g.resource().equals("pods")).isEmpty();
        for (JsonNode binding : r.ofKind("RoleBinding")) {
            assertThat(binding.at("/metadata/namespace").asText()).as(Rendered.id(binding) + ": only the release namespace")
                    .isEqualTo(Rendered.NAMESPACE);
            assertThat(grants(r.one(binding.at("/roleRef/kind").asText(), binding.at("/roleRef/name").asText())))
                    .filteredOn(g -> WORKLOADS.contains(g.resource()) && !g.resource().equals("secrets")).isEmpty();
        }
        Set<Grant> perNamespace = grants(r.one("ClusterRole", "pulse-operator-namespace"));
        assertThat(perNamespace).contains(new Grant("flink.apache.org", "flinkdeployments", "create"),
                new Grant("", "configmaps", "create"), new Grant("kafka.strimzi.io", "kafkatopics", "create"), new Grant("", "secrets", "create"));
        assertThat(perNamespace).filteredOn(g -> g.resource().equals("pods")).isEmpty();
        assertThat(r.objects).as("the main chart binds the write rules nowhere")
                .noneMatch(o -> o.at("/roleRef/name").asText().equals("pulse-operator-namespace"));
    }

    /**
     * Onboarding a namespace (charts/pulse-namespace): a RoleBinding in that namespace, and only
     * there, gives the operator the write rules; the pipelines' service account may manage its
     * TaskManager pods and ConfigMaps there and nothing else; nothing cluster-wide.
     */
    @Test
    void onboardingGrantsTheWritesInThatNamespaceOnly() {
        Rendered growth = Rendered.onboarding("growth");
        assertThat(growth.ofKind("ClusterRole", "ClusterRoleBinding", "Namespace", "Secret")).isEmpty();
        assertThat(growth.objects).allSatisfy(o -> assertThat(o.at("/metadata/namespace").asText()).as(Rendered.id(o)).isEqualTo("growth"));
        JsonNode operator = growth.one("RoleBinding", "pulse-operator");
        assertThat(operator.at("/roleRef/kind").asText()).isEqualTo("ClusterRole");
        assertThat(operator.at("/roleRef/name").asText()).isEqualTo("pulse-operator-namespace");
        assertThat(grants(Rendered.defaults().one("ClusterRole", operator.at("/roleRef/name").asText())))
                .contains(new Grant("flink.apache.org", "flinkdeployments", "create"));
        assertThat(operator.path("subjects")).hasSize(1);
        assertThat(operator.at("/subjects/0/name").asText()).isEqualTo("pulse-operator");
        assertThat(operator.at("/subjects/0/namespace").asText()).isEqualTo(Rendered.NAMESPACE);

        String templateAccount = "flink"; // the built-in template's spec.serviceAccount
        growth.one("ServiceAccount", templateAccount);
        JsonNode pipeline = growth.one("RoleBinding", "pulse-pipeline");
        assertThat(pipeline.at("/roleRef/kind").asText()).isEqualTo("Role");
        assertThat(pipeline.path("subjects")).hasSize(1);
        assertThat(pipeline.at("/subjects/0/name").asText()).isEqualTo(templateAccount);
        Set<Grant> job = grants(growth.one("Role", pipeline.at("/roleRef/name").asText()));
        assertThat(job).extracting(Grant::resource).containsOnly("pods", "configmaps", "deployments", "deployments/finalizers");
        assertThat(job).filteredOn(g -> g.resource().equals("deployments")).allMatch(g -> Set.of("get", "list", "watch").contains(g.verb()));

        Rendered other = Rendered.onboarding("payments", "--set", "pulse.namespace=analytics", "--set", "pipeline.serviceAccount.name=jobs");
        assertThat(other.one("RoleBinding", "pulse-operator").at("/subjects/0/namespace").asText()).isEqualTo("analytics");
        assertThat(other.one("RoleBinding", "pulse-pipeline").at("/subjects/0/name").asText()).isEqualTo("jobs");
        Rendered operatorOnly = Rendered.onboarding("search", "--set", "pipeline.serviceAccount.create=false");
        assertThat(operatorOnly.objects).extracting(Rendered::id).containsExactly("RoleBinding search/pulse-operator");
        Tools.Result unknown = Tools.run(Repo.root(), Tools.cmd(Tools.helm(), "template", "x",
                Repo.root().resolve("charts/pulse-namespace").toString(), "--set", "pipeline.rules=everything"));
        assertThat(unknown.exitCode()).as("the onboarding chart's values schema refuses unknown keys").isNotZero();
    }

    @Test
    void aClusterWideWatchUsesAClusterRole() {
        Rendered r = Rendered.defaults();
        assertThat(r.ofKind("Role", "RoleBinding")).extracting(Rendered::id).containsExactlyInAnyOrder(
                "Role " + Rendered.NAMESPACE + "/pulse-operator-reader-secret", "RoleBinding " + Rendered.NAMESPACE + "/pulse-operator-reader-secret");
        Set<Grant> grants = grants(r.one("ClusterRole", "pulse-operator"));
        assertThat(grants).contains(new Grant("pulse.dev", "metrics/status", "patch"),
                new Grant("kafka.strimzi.io", "kafkatopics", "watch"), new Grant("flink.apache.org", "flinkdeployments", "watch"),
                new Grant("", "configmaps", "list"), new Grant("", "events", "create"));
        JsonNode binding = r.one("ClusterRoleBinding", "pulse-operator");
        assertThat(binding.at("/subjects/0/name").asText()).isEqualTo("pulse-operator");
        assertThat(binding.at("/subjects/0/namespace").asText()).isEqualTo(Rendered.NAMESPACE);
    }

    @Test
    void aNamespacedWatchUsesRolesInEachNamespaceOnly() {
        Rendered r = Rendered.full();
        assertThat(r.ofKind("ClusterRole")).extracting(o -> o.at("/metadata/name").asText())
                .containsExactlyInAnyOrder("pulse-operator-crd-reader", "pulse-admin", "pulse-edit", "pulse-view", "pulse-serving-reviews");
        Set<Grant> all = new LinkedHashSet<>(grants(Rendered.defaults().one("ClusterRole", "pulse-operator")));
        all.addAll(grants(Rendered.defaults().one("ClusterRole", "pulse-operator-namespace")));
        for (String ns : List.of("growth", "payments")) {
            JsonNode role = r.objects.stream().filter(o -> o.path("kind").asText().equals("Role")
                    && o.at("/metadata/namespace").asText().equals(ns)).findFirst().orElseThrow();
            assertThat(grants(role)).isEqualTo(all);
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
        assertThat(Rendered.defaults().ofKind("Role")).extracting(Rendered::id)
                .containsExactly("Role " + Rendered.NAMESPACE + "/pulse-operator-reader-secret");
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
        granted.addAll(grants(Rendered.defaults().one("ClusterRole", "pulse-operator-namespace")));
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
