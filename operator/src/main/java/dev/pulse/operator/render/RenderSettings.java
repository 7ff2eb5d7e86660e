package dev.pulse.operator.render;

import dev.pulse.operator.config.PulseConfig;

/**
 * What rendering needs from the operator's configuration.
 *
 * @param defaultCluster Strimzi cluster of streams that name none
 * @param bootstrapServers bootstrap servers for pipelines; {@code {cluster}} is replaced by the stream's cluster
 * @param image pipeline image, unless the template names one
 * @param databaseSecret Secret with the serving store's connection, given to the job as environment
 */
public record RenderSettings(String defaultCluster, String bootstrapServers, String image, String databaseSecret) {
    public static RenderSettings from(PulseConfig config) {
        return new RenderSettings(config.kafka().defaultCluster(), config.kafka().bootstrapServers(),
                config.flink().image(), config.serving().databaseSecret());
    }
}
