package dev.pulse.operator.status;

import dev.pulse.api.v1alpha1.common.Condition;
import dev.pulse.api.v1alpha1.common.Reasons;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.ArrayList;
import java.util.List;

/**
 * What Strimzi reports of one KafkaTopic the operator owns: its {@code status.conditions[type=Ready]}.
 *
 * @param name the KafkaTopic's name
 * @param status True, False or Unknown (Unknown: no such KafkaTopic yet, or no status from Strimzi yet)
 * @param reason Strimzi's reason, or null
 * @param message Strimzi's message, or null
 */
public record TopicObservation(String name, String status, String reason, String message) {

    /** The KafkaTopic as read, or null when it does not exist (yet). */
    public static TopicObservation of(String name, KafkaTopic topic) {
        if (topic == null) {
            return new TopicObservation(name, Conditions.UNKNOWN, null, "KafkaTopic " + name + " does not exist yet");
        }
        var conditions = topic.getStatus() == null || topic.getStatus().getConditions() == null ? null : topic.getStatus().getConditions();
        var ready = conditions == null ? null : conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
        if (ready == null || ready.getStatus() == null) {
            return new TopicObservation(name, Conditions.UNKNOWN, null, "KafkaTopic " + name + " has no Ready condition from Strimzi yet");
        }
        Long generation = topic.getMetadata().getGeneration();
        long observed = topic.getStatus().getObservedGeneration();
        if (generation != null && observed < generation && !Conditions.FALSE.equals(ready.getStatus())) {
            return new TopicObservation(name, Conditions.UNKNOWN, null,
                    "Strimzi has not reconciled generation " + generation + " of KafkaTopic " + name + " yet");
        }
        return new TopicObservation(name, ready.getStatus(), ready.getReason(), ready.getMessage());
    }

    /**
     * The TopicReady condition of the given topics, or null when there are none: False with
     * Strimzi's reason and message when one is not Ready (the first such), else Unknown while one
     * has no status yet, else True.
     */
    public static Condition topicReady(List<TopicObservation> topics) {
        if (topics.isEmpty()) {
            return null;
        }
        for (TopicObservation t : topics) {
            if (Conditions.FALSE.equals(t.status())) {
                return Conditions.of(Condition.TOPIC_READY, Conditions.FALSE, reasonOr(t.reason(), Reasons.TOPIC_NOT_READY),
                        "KafkaTopic " + t.name() + " is not Ready" + (t.message() == null || t.message().isBlank() ? "" : ": " + t.message()));
            }
        }
        for (TopicObservation t : topics) {
            if (!Conditions.TRUE.equals(t.status())) {
                return Conditions.of(Condition.TOPIC_READY, Conditions.UNKNOWN, Reasons.TOPIC_PENDING, t.message());
            }
        }
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.name()));
        return Conditions.of(Condition.TOPIC_READY, Conditions.TRUE, Reasons.READY, "KafkaTopic " + String.join(", ", names) + " Ready");
    }

    /** Strimzi's reasons are CamelCase already; one that is missing or not a word gets ours. */
    private static String reasonOr(String reason, String fallback) {
        return reason != null && reason.matches("[A-Za-z][A-Za-z0-9]*") ? reason : fallback;
    }
}
