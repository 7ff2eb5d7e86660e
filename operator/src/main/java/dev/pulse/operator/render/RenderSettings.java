package dev.pulse.operator.render;

import dev.pulse.operator.config.PulseConfig;

/**
 * What rendering needs from the operator's configuration.
 *
 * @param defaultCluster Strimzi cluster of streams that name none
 * @param bootstrapServers bootstrap servers for pipelines; {@code {cluster}} is replaced by the stream's cluster
 * @param image pipeline image, unless the template names one
 * @param databaseSecret Secret with the serving store's connection, given to the job as environment
 * @param grafanaDatasourceUid uid of the Grafana PostgreSQL datasource the dashboards query
 */
public record RenderSettings(String defaultCluster, String bootstrapServers, String image, String databaseSecret,
        String grafanaDatasourceUid) {
    public static final String DEFAULT_GRAFANA_DATASOURCE = "pulse-postgres";

    /** Settings with the default Grafana datasource uid. */
    public RenderSettings(String defaultCluster, String bootstrapServers, String image, String databaseSecret) {
        this(defaultCluster, bootstrapServers, image, databaseSecret, DEFAULT_GRAFANA_DATASOURCE);
    }

    public static RenderSettings from(PulseConfig config) {
        return new RenderSettings(config.kafka().defaultCluster(), config.kafka().bootstrapServers(),
                config.flink().image(), config.serving().databaseSecret(), config.grafana().datasourceUid());
    }
}
