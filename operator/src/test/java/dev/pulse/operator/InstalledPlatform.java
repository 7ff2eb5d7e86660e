package dev.pulse.operator;

import dev.pulse.testsupport.PlatformCrds;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.function.Consumer;

/**
 * Installs the CRDs of the operators Pulse drives (Strimzi's KafkaTopic, the Flink operator's
 * FlinkDeployment; {@link PlatformCrds}) into the in-memory API server before the operator starts.
 */
public class InstalledPlatform implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
        PlatformCrds.all().forEach(crd -> server.getClient().resource(crd).create());
    }
}
