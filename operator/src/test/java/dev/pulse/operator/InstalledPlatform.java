package dev.pulse.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/**
 * Installs the CRDs of the operators Pulse drives (Strimzi's KafkaTopic, the Flink operator's
 * FlinkDeployment) into the in-memory API server before the operator starts. Their schemas are
 * left open: the mock server validates nothing anyway.
 */
public class InstalledPlatform implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
        var client = server.getClient();
        client.resource(crd("kafka.strimzi.io", "v1", "KafkaTopic", "kafkatopics")).create();
        client.resource(crd("flink.apache.org", "v1beta1", "FlinkDeployment", "flinkdeployments")).create();
    }

    public static CustomResourceDefinition crd(String group, String version, String kind, String plural) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase()).endNames()
                .addNewVersion().withName(version).withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema()
                .endVersion()
                .endSpec().build();
    }
}
