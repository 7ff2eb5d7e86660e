package dev.pulse.operator.config;

import dev.pulse.render.RenderSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every setting of the operator, under the prefix {@code pulse}. */
@ConfigMapping(prefix = "pulse")
public interface PulseConfig {
    Kafka kafka();

    Flink flink();

    Serving serving();

    /** The Grafana dashboards written per analysis. */
    Grafana grafana();

    Templates templates();

    /** The periodic health probes (lag, freshness) and the daily drift check. */
    Probes probes();

    /** How definition changes roll a stream's pipelines. */
    Upgrade upgrade();

    /**
     * The serving database as the operator reads it (freshness from the catalog, streaming day
     * totals for drift): the chart puts the serving Secret's {@code PULSE_JDBC_URL},
     * {@code PULSE_JDBC_USER}, {@code PULSE_JDBC_PASSWORD} into the operator's environment, which
     * are these keys. Unset: no freshness and no drift (conditions say so).
     */
    Jdbc jdbc();

    /**
     * Read-only batch sources the daily drift check compares Metrics with, by the name
     * {@code spec.reconciliation.source} uses: {@code pulse.batch-sources."<name>".jdbc-url},
     * {@code .username}, {@code .password}, {@code .namespaces} (who may use it). Absent: none.
     */
    Map<String, BatchSource> batchSources();

    /**
     * Namespaces whose Pulse resources the operator reconciles; empty: all namespaces. Wired into
     * {@code quarkus.operator-sdk.namespaces} in application.properties.
     */
    Optional<List<String>> watchNamespaces();

    /** What the renderers need of these settings. */
    default RenderSettings renderSettings() {
        State state = flink().state();
        return new RenderSettings(kafka().defaultCluster(), kafka().bootstrapServers(), flink().image(), serving().pipelineSecret(),
                grafana().datasourceUid(), RenderSettings.StateStorage.of(state.checkpointsDir(), state.savepointsDir(),
                        state.flinkConfiguration(), state.secret()));
    }

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

        /**
         * Whether the operator asks Kafka if a stream's topic exists before it creates a KafkaTopic
         * for it (an existing topic needs {@code kafka.external: true}); only while the probes run
         * ({@code pulse.probes.enabled}), which give the operator its Kafka connection.
         */
        @WithDefault("true")
        boolean existingTopicCheck();
    }

    /** The pipeline job. */
    interface Flink {
        /** Image of the pipeline job, used unless a template names its own. */
        @WithDefault("ghcr.io/pulse-dev/pulse-pipeline:0.1.0-SNAPSHOT")
        String image();

        /**
         * Where every pipeline keeps its checkpoints and savepoints, over its template's settings.
         * Savepoint upgrades restore from there: on {@code file://} paths without a volume (the
         * built-in template's) the first upgrade loses all state.
         */
        State state();
    }

    /** The pipelines' durable state storage; each setting left unset keeps the template's value. */
    interface State {
        /** {@code state.checkpoints.dir} of every pipeline, e.g. {@code s3://analytics-flink/checkpoints}. */
        Optional<String> checkpointsDir();

        /** {@code state.savepoints.dir} of every pipeline, e.g. {@code s3://analytics-flink/savepoints}. */
        Optional<String> savepointsDir();

        /**
         * Further Flink settings of that storage written into every pipeline's
         * {@code spec.flinkConfiguration} (e.g. {@code pulse.flink.state.flink-configuration."s3.endpoint"}).
         */
        Map<String, String> flinkConfiguration();

        /**
         * Secret in the stream's namespace whose keys become the job's environment: the storage's
         * credentials (e.g. {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}). Only the
         * name: the operator never reads it.
         */
        Optional<String> secret();
    }

    /** The serving store the pipelines write to. */
    interface Serving {
        /**
         * Secret in the operator's namespace with the owner's PostgreSQL connection (the chart gives
         * its keys to the operator as {@code pulse.jdbc.*}); it never leaves that namespace.
         */
        @WithDefault("pulse-serving-db")
        String databaseSecret();

        /**
         * Secret the operator writes in every namespace with EventStreams: the namespace's own
         * PostgreSQL role ({@code pulse_writer_<namespace>}, may write only that namespace's schema),
         * whose keys become its pipelines' environment.
         */
        @WithDefault("pulse-pipeline-db")
        String pipelineSecret();

        /**
         * Secret the operator writes in its own namespace: the serving API's read-only PostgreSQL
         * role ({@link #readerRole()}).
         */
        @WithDefault("pulse-serving-reader")
        String readerSecret();

        /** The serving API's PostgreSQL role: reads the catalog and every namespace's serving tables, writes nothing. */
        @WithDefault("pulse_reader")
        String readerRole();

        /**
         * How often {@code serving.retention} is enforced on the serving database: each pass deletes
         * the rows whose window ended longer ago than their analysis's retention and drops retired
         * versions whose retention has passed since they were retired. 0s: never.
         */
        @WithDefault("1h")
        Duration retentionInterval();

        /** Rows per delete statement of a retention pass (each its own short transaction). */
        @WithDefault("10000")
        int retentionBatchSize();
    }

    /** Grafana dashboard ConfigMaps (label {@code grafana_dashboard: "1"}, one per analysis). */
    interface Grafana {
        /** Uid of the Grafana PostgreSQL datasource that reads the serving store. */
        @WithDefault("pulse-postgres")
        String datasourceUid();
    }

    /** The serving database connection. */
    interface Jdbc {
        Optional<String> url();

        Optional<String> user();

        Optional<String> password();

        /**
         * Timeout of opening a connection (TCP connect and login) and of every read on it: a hung
         * database (its processes stopped) fails a call after this long instead of holding a
         * reconcile forever.
         */
        @WithDefault("10s")
        Duration connectTimeout();

        /** {@code lock_timeout} of the schema changes: DDL waiting longer for a table lock gives up and is retried. */
        @WithDefault("5s")
        Duration lockTimeout();

        /** {@code statement_timeout} of the schema changes (a rollup added later fills itself from the detail rows). */
        @WithDefault("60s")
        Duration statementTimeout();

        /**
         * How long the result of the serving database's reachability check holds: every reconcile
         * reads it, at most one connection per this interval is opened for it.
         */
        @WithDefault("10s")
        Duration checkInterval();
    }

    /** A read-only JDBC source of daily batch values. */
    interface BatchSource {
        String jdbcUrl();

        Optional<String> username();

        Optional<String> password();

        /**
         * The namespaces whose Metrics may compare with this source (the platform team allows each
         * source per team); {@code *} allows every namespace. Unset or empty: none.
         */
        Optional<List<String>> namespaces();

        /** Whether Metrics of the namespace may use this source. */
        default boolean allows(String namespace) {
            return namespaces().map(n -> n.contains("*") || n.contains(namespace)).orElse(false);
        }
    }

    /** The health probes. */
    interface Upgrade {
        /**
         * Changes to one stream's definitions that reach the operator within this long of each
         * other restart its pipelines once: a changed plan is rolled out when no further change
         * has arrived for this long (0s: at once). A stream's first plan is deployed at once.
         */
        @WithDefault("10s")
        Duration batchWindow();
    }

    interface Probes {
        /** Whether the periodic probes run at all. */
        @WithDefault("true")
        boolean enabled();

        /** How often each EventStream is probed: one Kafka admin round and one catalog query per stream. */
        @WithDefault("30s")
        Duration interval();

        /**
         * Bootstrap servers the operator reads consumer lag from, when they differ from what the
         * pipelines use (the operator runs in another namespace: e.g.
         * {@code {cluster}-kafka-bootstrap.kafka.svc:9092}); {@code {cluster}} is replaced as for
         * the pipelines. Unset: {@code pulse.kafka.bootstrap-servers}.
         */
        Optional<String> kafkaBootstrapServers();

        /** Timeout of each Kafka admin call and JDBC statement of a probe. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Whether each probe round first refreshes the serving catalog's progress columns
         * ({@code ServingSchema.refresh}: two index lookups per live table), which freshness reads.
         */
        @WithDefault("true")
        boolean refreshCatalog();

        /**
         * How long after a day closes (in the reconciliation's time zone) it is compared with the
         * batch source: time for late events to be final and for the batch job to have run.
         */
        @WithName("drift-delay")
        @WithDefault("2h")
        Duration driftDelay();

        /** How soon a day that could not be compared (a query failed, not comparable) is tried again. */
        @WithName("drift-retry")
        @WithDefault("15m")
        Duration driftRetry();
    }

    /** FlinkDeployment templates. */
    interface Templates {
        /** Directory with {@code <name>.yaml} templates; unset: the templates built into the operator. */
        Optional<String> directory();
    }
}
