package dev.pulse.render;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What rendering needs from the operator's configuration (the operator's {@code PulseConfig.renderSettings()},
 * or the options of {@code pulse compile}).
 *
 * @param defaultCluster Strimzi cluster of streams that name none
 * @param bootstrapServers bootstrap servers for pipelines; {@code {cluster}} is replaced by the stream's cluster
 * @param image pipeline image, unless the template names one
 * @param databaseSecret the namespace's Secret with the serving store's connection as the namespace's own role, given to the job as environment
 * @param grafanaDatasourceUid uid of the Grafana PostgreSQL datasource the dashboards query
 * @param state the pipelines' durable state storage, over the template's settings
 */
public record RenderSettings(String defaultCluster, String bootstrapServers, String image, String databaseSecret,
        String grafanaDatasourceUid, StateStorage state) {
    public static final String DEFAULT_GRAFANA_DATASOURCE = "pulse-postgres";

    /** Settings with the default Grafana datasource uid and the templates' own state storage. */
    public RenderSettings(String defaultCluster, String bootstrapServers, String image, String databaseSecret) {
        this(defaultCluster, bootstrapServers, image, databaseSecret, DEFAULT_GRAFANA_DATASOURCE);
    }

    /** Settings that keep the templates' own state storage. */
    public RenderSettings(String defaultCluster, String bootstrapServers, String image, String databaseSecret,
            String grafanaDatasourceUid) {
        this(defaultCluster, bootstrapServers, image, databaseSecret, grafanaDatasourceUid, StateStorage.TEMPLATE);
    }

    /**
     * Where pipelines keep checkpoints and savepoints, when the operator's configuration says so.
     *
     * @param flinkConfiguration written over every pipeline's {@code spec.flinkConfiguration}; empty: the template's
     * @param credentialsSecret Secret whose keys become the job's environment; null: none
     */
    public record StateStorage(Map<String, String> flinkConfiguration, String credentialsSecret) {
        public static final String CHECKPOINTS_DIR = "state.checkpoints.dir";
        public static final String SAVEPOINTS_DIR = "state.savepoints.dir";

        /** Nothing over the template: its directories and settings stay. */
        public static final StateStorage TEMPLATE = new StateStorage(Map.of(), null);

        public StateStorage {
            flinkConfiguration = Map.copyOf(flinkConfiguration);
        }

        /** The directories win over the same keys among the further settings. */
        public static StateStorage of(Optional<String> checkpointsDir, Optional<String> savepointsDir,
                Map<String, String> flinkConfiguration, Optional<String> credentialsSecret) {
            Map<String, String> conf = new TreeMap<>(flinkConfiguration);
            checkpointsDir.filter(d -> !d.isBlank()).ifPresent(d -> conf.put(CHECKPOINTS_DIR, d));
            savepointsDir.filter(d -> !d.isBlank()).ifPresent(d -> conf.put(SAVEPOINTS_DIR, d));
            return new StateStorage(conf, credentialsSecret.filter(s -> !s.isBlank()).orElse(null));
        }
    }
}
