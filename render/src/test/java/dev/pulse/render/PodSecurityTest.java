package dev.pulse.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The restricted Pod Security Standard on what the operator renders: a template cannot loosen it. */
class PodSecurityTest {
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static void assertRestricted(PodSpec spec) {
        assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(spec.getSecurityContext().getRunAsUser()).isNotNull().isNotZero();
        List<Container> all = new ArrayList<>(spec.getContainers());
        all.addAll(spec.getInitContainers());
        assertThat(all).isNotEmpty().allSatisfy(c -> {
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getPrivileged()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getRunAsNonRoot()).as(c.getName()).isTrue();
            // the pod's non-root user, never root for one container
            assertThat(Optional.ofNullable(c.getSecurityContext().getRunAsUser())).as(c.getName()).isNotEqualTo(Optional.of(0L));
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(c.getName()).isNullOrEmpty();
        });
    }

    @Test
    void aTemplateThatAsksForRootPrivilegesGetsTheRestrictedContext() {
        PodSpec spec = YAML.unmarshal("""
                securityContext: {runAsUser: 0, runAsNonRoot: false, seccompProfile: {type: Unconfined}}
                initContainers:
                  - name: setup
                    securityContext: {privileged: true, runAsUser: 0}
                containers:
                  - name: flink-main-container
                    securityContext:
                      allowPrivilegeEscalation: true
                      capabilities: {add: [NET_ADMIN, SYS_ADMIN]}
                  - name: sidecar
                """, PodSpec.class);
        FlinkDeploymentRenderer.restrict(spec);
        assertRestricted(spec);
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(FlinkDeploymentRenderer.FLINK_UID);
    }

    @Test
    void aTemplatesOwnNonRootUserAndLocalhostProfileStay() {
        PodSpec spec = YAML.unmarshal("""
                securityContext: {runAsUser: 1234, fsGroup: 5678, seccompProfile: {type: Localhost, localhostProfile: flink.json}}
                containers:
                  - name: flink-main-container
                """, PodSpec.class);
        FlinkDeploymentRenderer.restrict(spec);
        assertThat(spec.getSecurityContext().getRunAsUser()).isEqualTo(1234L);
        assertThat(spec.getSecurityContext().getFsGroup()).isEqualTo(5678L);
        assertThat(spec.getSecurityContext().getSeccompProfile().getType()).isEqualTo("Localhost");
        assertThat(spec.getContainers().get(0).getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    }
}
