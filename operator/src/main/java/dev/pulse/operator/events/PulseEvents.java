package dev.pulse.operator.events;

import dev.pulse.api.plan.PlanJson;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events about Pulse resources ({@code kubectl describe} shows them). Named from the
 * object, reason, message and generation, so telling the same thing twice creates one Event.
 */
@ApplicationScoped
public class PulseEvents {
    private static final Logger LOG = Logger.getLogger(PulseEvents.class);
    private static final String COMPONENT = "pulse-operator";
    private static final int MAX_MESSAGE = 1024;

    private final KubernetesClient client;
    private final Clock clock;

    public PulseEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void warning(HasMetadata about, String reason, String message) {
        emit(about, "Warning", reason, message);
    }

    public void normal(HasMetadata about, String reason, String message) {
        emit(about, "Normal", reason, message);
    }

    private void emit(HasMetadata about, String type, String reason, String message) {
        var meta = about.getMetadata();
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE - 3) + "..." : message;
        String id = PlanJson.sha256(meta.getUid() + "/" + meta.getGeneration() + "/" + reason + "/" + text).substring(0, 16);
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata().withName(meta.getName() + "." + id).withNamespace(meta.getNamespace()).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(about.getApiVersion()).withKind(about.getKind())
                        .withName(meta.getName()).withNamespace(meta.getNamespace()).withUid(meta.getUid())
                        .withResourceVersion(meta.getResourceVersion()).build())
                .withType(type).withReason(reason).withMessage(text)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(meta.getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: told already
                LOG.warnf("could not record Event %s on %s/%s: %s", reason, about.getKind(), meta.getName(), e.getMessage());
            }
        }
    }
}
