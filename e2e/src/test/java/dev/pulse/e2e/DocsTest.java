package dev.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The docs carry the tested health checks, and the images match what the templates expect. */
class DocsTest {

    /** docs/argocd.md holds the health.lua verbatim, as the block scalar of each kind's argocd-cm key. */
    @Test
    void argocdDocEmbedsEachHealthScriptVerbatim() {
        String doc = Repo.read(Repo.root().resolve("docs/argocd.md"));
        for (String kind : ArgoHealthTest.KINDS) {
            String lua = Repo.read(ArgoHealthTest.SCRIPT);
            String indented = lua.lines().map(l -> l.isBlank() ? l : "    " + l).collect(Collectors.joining("\n", "", "\n"));
            assertThat(doc).as("docs/argocd.md embeds charts/pulse/argocd/health.lua under the key of %s (regenerate the argocd-cm block)", kind)
                    .contains("  resource.customizations.health.pulse.dev_" + kind + ": |\n" + indented);
        }
    }

    @Test
    void installDocCoversTheSteps() {
        String doc = Repo.read(Repo.root().resolve("docs/install.md"));
        assertThat(doc).contains("Strimzi", "Flink Kubernetes Operator", "PostgreSQL", "helm install pulse charts/pulse",
                "kubectl apply -f charts/pulse/crds/", "kubectl apply -n growth -f samples/", "PULSE_JDBC_PASSWORD",
                "checkpointsDir: s3://", "savepointsDir: s3://", "s3.endpoint", "s3.path.style.access", "credentialsSecret:",
                "AWS_SECRET_ACCESS_KEY", "allowNonRestoredState", "helm install pulse-growth charts/pulse-namespace -n growth", "CREATEROLE",
                "pulse_writer_growth", "pod-security.kubernetes.io/enforce=restricted");
    }

    @Test
    void pipelineImagePutsTheJobJarWhereTheTemplateLooksForIt() {
        String dockerfile = Repo.read(Repo.root().resolve("images/pipeline.Dockerfile"));
        String template = Repo.read(Repo.root().resolve("pipeline-templates/default.yaml"));
        assertThat(dockerfile).contains("FROM flink:1.20.3-java17").contains(" /opt/flink/usrlib/pulse-pipeline.jar");
        assertThat(template).contains("jarURI: local:///opt/flink/usrlib/pulse-pipeline.jar");
        for (String image : new String[] {"operator", "serving"}) {
            assertThat(Repo.read(Repo.root().resolve("images/" + image + ".Dockerfile"))).as(image)
                    .contains("USER 185").contains("quarkus-app");
        }
    }
}
