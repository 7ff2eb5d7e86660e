package dev.pulse.operator.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.render.Labels;
import dev.pulse.render.TopicRenderer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whose a KafkaTopic is, by its labels (and, for topics of earlier releases, its owner reference). */
class TopicOwnerTest {
    private static final EventStream STREAM = stream("shop-events", "uid-1");

    @Test
    void aStreamOwnsTheInputAndDeadLetterTopicsPulseCreatedForItsName() {
        TopicOwner owner = TopicOwner.stream("shop-events");
        assertThat(owner.owns(topic(Labels.ROLE_INPUT_TOPIC, Labels.STREAM, "shop-events", null), STREAM)).isTrue();
        assertThat(owner.owns(topic(Labels.ROLE_DEAD_LETTER_TOPIC, Labels.STREAM, "shop-events", null), STREAM)).isTrue();
        // another stream's, a Metric's result topic (it carries its stream's label too), a hand-made one
        assertThat(owner.owns(topic(Labels.ROLE_INPUT_TOPIC, Labels.STREAM, "other", null), STREAM)).isFalse();
        assertThat(owner.owns(topic(Labels.ROLE_RESULT_TOPIC, Labels.STREAM, "shop-events", null), STREAM)).isFalse();
        KafkaTopic handMade = topic(Labels.ROLE_INPUT_TOPIC, Labels.STREAM, "shop-events", null);
        handMade.getMetadata().getLabels().remove(Labels.MANAGED_BY);
        assertThat(owner.owns(handMade, STREAM)).isFalse();
    }

    @Test
    void aReleasedTopicIsCreatedButNoLongerOwnedUntilTakenBack() {
        KafkaTopic released = topic(Labels.ROLE_INPUT_TOPIC, Labels.STREAM, "shop-events", "false");
        assertThat(TopicOwner.released(released)).isTrue();
        assertThat(TopicOwner.stream("shop-events").created(released)).isTrue();
        assertThat(TopicOwner.stream("shop-events").owns(released, STREAM)).isFalse();
        assertThat(TopicOwner.released(topic(Labels.ROLE_INPUT_TOPIC, Labels.STREAM, "shop-events", "true"))).isFalse();
    }

    @Test
    void anOwnerReferenceDecidesForTopicsOfEarlierReleases() {
        KafkaTopic legacy = topic(Labels.ROLE_INPUT_TOPIC, Labels.STREAM, "shop-events", null);
        legacy.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder().withKind("EventStream").withName("shop-events")
                .withUid("uid-0").build()));
        assertThat(TopicOwner.stream("shop-events").owns(legacy, STREAM)).as("another incarnation's").isFalse();
        assertThat(TopicOwner.stream("shop-events").owns(legacy, stream("shop-events", "uid-0"))).isTrue();
    }

    @Test
    void aMetricOwnsItsResultTopic() {
        KafkaTopic results = topic(Labels.ROLE_RESULT_TOPIC, Labels.METRIC, "orders", null);
        assertThat(TopicOwner.metric("orders").owns(results, metric("orders"))).isTrue();
        assertThat(TopicOwner.metric("revenue").owns(results, metric("revenue"))).isFalse();
        assertThat(TopicOwner.ownerName(results, Labels.METRIC)).isEqualTo("orders");
    }

    private static KafkaTopic topic(String role, String label, String owner, String managed) {
        KafkaTopic t = new KafkaTopic();
        t.setMetadata(new ObjectMetaBuilder().withName("t").withNamespace("growth")
                .withLabels(new java.util.HashMap<>(Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.ROLE, role, label, owner)))
                .withAnnotations(managed == null ? Map.of() : Map.of(TopicRenderer.STRIMZI_MANAGED, managed)).build());
        return t;
    }

    private static Metric metric(String name) {
        Metric m = new Metric();
        m.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("growth").withUid("uid-" + name).build());
        return m;
    }

    private static EventStream stream(String name, String uid) {
        EventStream s = new EventStream();
        s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("growth").withUid(uid).build());
        return s;
    }
}
