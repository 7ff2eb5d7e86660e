package dev.pulse.operator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Every setting of the operator, under the prefix {@code pulse}. */
@ConfigMapping(prefix = "pulse")
public interface PulseConfig {
    Kafka kafka();

    Flink flink();

    Serving serving();

    Templates templates();

    /**
     * Namespaces whose Pulse resources the operator reconciles; empty: all namespaces. Wired into
     * {@code quarkus.operator-sdk.namespaces} in application.properties.
     */
    Optional<List<String>> watchNamespaces();

    /** Kafka as seen by the pipelines. */
    interface Kafka {
        /**
         * Bootstrap servers handed to each pipeline; {@code {cluster}} is replaced by the stream's
         * Strimzi cluster (Strimzi names its bootstrap service {@code <cluster>-kafka-bootstrap}).
         */
        @WithDefault("{cluster}-kafka-bootstrap:9092")
        String bootstrapServers();

        /** The Strimzi cluster (label {@code strimzi.io/cluster}) of streams that name none. */
        @WithDefault("analytics")
        String defaultCluster();
    }

    /** The pipeline job. */
    interface Flink {
        /** Image of the pipeline job, used unless a template names its own. */
        @WithDefault("ghcr.io/pulse-dev/pulse-pipeline:0.1.0-SNAPSHOT")
        String image();
    }

    /** The serving store the pipelines write to. */
    interface Serving {
        /** Secret with the PostgreSQL connection (its keys become the job's environment). */
        @WithDefault("pulse-serving-db")
        String databaseSecret();
    }

    /** FlinkDeployment templates. */
    interface Templates {
        /** Directory with {@code <name>.yaml} templates; unset: the templates built into the operator. */
        Optional<String> directory();
    }
}
