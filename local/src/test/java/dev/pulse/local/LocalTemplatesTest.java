package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.testsupport.Checkout;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;

/** The local stack's pipeline template: the built-in default, opted in to state on this machine's disk. */
class LocalTemplatesTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static FlinkDeployment read(Path file) throws IOException {
        return YAML.unmarshal(Files.readString(file), FlinkDeployment.class);
    }

    @Test
    void theLocalDefaultIsTheBuiltInDefaultThatAllowsEphemeralState() throws IOException {
        FlinkDeployment local = read(Checkout.root().resolve(ChildServices.TEMPLATES).resolve("default.yaml"));
        FlinkDeployment builtIn = read(Checkout.root().resolve("pipeline-templates/default.yaml"));

        assertThat(local.getMetadata().getAnnotations()).isEqualTo(Map.of("pulse.dev/ephemeral-state", "allowed"));
        assertThat(builtIn.getMetadata() == null || builtIn.getMetadata().getAnnotations() == null
                || !builtIn.getMetadata().getAnnotations().containsKey("pulse.dev/ephemeral-state"))
                .as("the built-in template does not allow ephemeral state").isTrue();
        // otherwise the same: a pipeline behaves locally as it would from the built-in template
        assertThat(YAML.asJson(local.getSpec())).isEqualTo(YAML.asJson(builtIn.getSpec()));
    }
}
