package dev.pulse.operator.status;

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
    public static final String ROLLED_BACK = "RolledBack";
    public static final String PIPELINE_PENDING = "PipelinePending";
    public static final String PLAN_PENDING = "PlanPending";
    public static final String FLINK_OPERATOR_NOT_INSTALLED = "FlinkOperatorNotInstalled";
    public static final String STRIMZI_NOT_INSTALLED = "StrimziNotInstalled";
    public static final String RECONCILE_FAILED = "ReconcileFailed";
    public static final String READY = "Ready";

    private Reasons() {
    }
}
