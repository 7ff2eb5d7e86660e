package dev.pulse.api.v1alpha1.common;

/** The stable CamelCase reasons of Pulse conditions; tools and alerts match on them. */
public final class Reasons {
    public static final String VALID = "Valid";
    public static final String INVALID_SPEC = "InvalidSpec";
    public static final String STREAM_NOT_FOUND = "StreamNotFound";
    public static final String STREAM_INVALID = "StreamInvalid";
    public static final String RUNNING = "Running";
    public static final String SUSPENDED = "Suspended";
    public static final String JOB_FAILED = "JobFailed";
    public static final String DEPLOYING = "Deploying";
    /** The Flink operator has not reconciled the FlinkDeployment's latest spec (or the wanted plan) yet. */
    public static final String UPGRADING = "Upgrading";
    public static final String ROLLED_BACK = "RolledBack";
    public static final String PIPELINE_PENDING = "PipelinePending";
    public static final String PLAN_PENDING = "PlanPending";
    public static final String FLINK_OPERATOR_NOT_INSTALLED = "FlinkOperatorNotInstalled";
    public static final String STRIMZI_NOT_INSTALLED = "StrimziNotInstalled";
    /** The operator could not ask Kafka whether a stream's topic exists before creating it. */
    public static final String KAFKA_UNAVAILABLE = "KafkaUnavailable";
    /** Events of a deleted resource: what its deletionPolicy did to its topics and tables. */
    public static final String DATA_RETAINED = "DataRetained";
    public static final String DATA_DELETED = "DataDeleted";
    public static final String RECONCILE_FAILED = "ReconcileFailed";
    // a valid stream whose pipelines cannot be rendered (render.PipelineException)
    public static final String TEMPLATE_NOT_FOUND = "TemplateNotFound";
    public static final String INVALID_TEMPLATE = "InvalidTemplate";
    public static final String EPHEMERAL_STATE = "EphemeralState";
    public static final String SERVING_STORE_UNAVAILABLE = "ServingStoreUnavailable";
    // Ready's summary of PipelineRunning (docs/operations.md): its own reason says which part is missing
    public static final String PIPELINE_FAILED = "PipelineFailed";
    public static final String PIPELINE_NOT_RUNNING = "PipelineNotRunning";
    // TopicReady (Strimzi's reason when a KafkaTopic is not Ready), and Ready of a stream whose topic is not
    public static final String TOPIC_NOT_READY = "TopicNotReady";
    public static final String TOPIC_PENDING = "TopicPending";
    public static final String BACKFILLING = "Backfilling";
    public static final String CUT_OVER = "CutOver";
    public static final String PLAN_CHANGED = "PlanChanged";
    public static final String READY = "Ready";
    // Fresh
    public static final String FRESH = "Fresh";
    public static final String LAGGING = "Lagging";
    public static final String CATCHING_UP = "CatchingUp";
    public static final String STALLED = "Stalled";
    public static final String AWAITING_FIRST_WINDOW = "AwaitingFirstWindow";
    public static final String PROBE_PENDING = "ProbePending";
    public static final String PROBE_FAILED = "ProbeFailed";
    public static final String SERVING_NOT_CONFIGURED = "ServingNotConfigured";
    // Probing
    public static final String PROBED = "Probed";
    public static final String LAG_PROBE_FAILED = "LagProbeFailed";
    public static final String FRESHNESS_PROBE_FAILED = "FreshnessProbeFailed";
    public static final String PROBE_STALLED = "ProbeStalled";
    // DriftWithinTolerance and Authoritative
    public static final String WITHIN_TOLERANCE = "WithinTolerance";
    public static final String DRIFT_OUT_OF_TOLERANCE = "DriftOutOfTolerance";
    public static final String BATCH_ROW_MISSING = "BatchRowMissing";
    public static final String BATCH_SOURCE_NOT_CONFIGURED = "BatchSourceNotConfigured";
    public static final String BATCH_QUERY_FAILED = "BatchQueryFailed";
    public static final String NOT_COMPARABLE = "NotComparable";
    public static final String AWAITING_FIRST_DAY = "AwaitingFirstDay";
    public static final String PROMOTED = "Promoted";
    public static final String ON_PROBATION = "OnProbation";
    // CardinalityCapped
    public static final String MAX_GROUPS_REACHED = "MaxGroupsReached";
    public static final String WITHIN_MAX_GROUPS = "WithinMaxGroups";

    private Reasons() {
    }
}
