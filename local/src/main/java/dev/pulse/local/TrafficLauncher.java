package dev.pulse.local;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Shop traffic ({@link ShopTraffic}) into the topic of the EventStream named {@code shop-events},
 * else of the first EventStream, once that topic exists.
 */
final class TrafficLauncher implements AutoCloseable {
    private final KubernetesClient client;
    private final Readiness readiness;
    private volatile ShopTraffic traffic;

    /** @param client the API server the EventStreams are in (namespace {@value LocalStack#NAMESPACE}) */
    TrafficLauncher(KubernetesClient client, Readiness readiness) {
        this.client = client;
        this.readiness = readiness;
    }

    /**
     * Waits up to 5 minutes for the topic, then sends {@code rate} events per second into it (daily
     * average); reports on the {@code traffic} line of {@code progress}.
     */
    void start(String bootstrapServers, Supplier<Admin> admins, double rate, Progress progress) {
        try (Admin admin = admins.get()) {
            String topic = readiness.awaitTopic(admin, this::topic, 300);
            if (topic == null) {
                if (!readiness.stopped()) {
                    progress.step("traffic", "no EventStream topic appeared: no traffic sent");
                }
                return;
            }
            traffic = ShopTraffic.toKafka(bootstrapServers, topic, rate).start();
            progress.step("traffic", "shop sessions into topic " + topic + " at ~" + rate
                    + " events/s (daily rhythm; ~1% late, ~0.5% malformed)");
        } catch (Exception e) {
            progress.error("traffic", e.getMessage());
        }
    }

    /** The topic of the stream named shop-events, else of the first EventStream. */
    private String topic() {
        List<GenericKubernetesResource> streams = client.genericKubernetesResources(PulseKinds.EVENT_STREAM.context())
                .inNamespace(LocalStack.NAMESPACE).list().getItems();
        return streams.stream().sorted(Comparator.comparing((GenericKubernetesResource s) -> !"shop-events".equals(s.getMetadata().getName()))
                .thenComparing(s -> s.getMetadata().getName()))
                .map(s -> PulseKinds.path(s.getAdditionalProperties().get("spec"), "kafka", "topic"))
                .filter(t -> t instanceof String).map(String.class::cast).findFirst().orElse(null);
    }

    /** "N events sent", once traffic runs. */
    String note() {
        ShopTraffic t = traffic;
        return t == null ? null : t.sentTotal() + " events sent";
    }

    @Override
    public void close() {
        ShopTraffic t = traffic;
        if (t != null) {
            t.close();
        }
    }
}
