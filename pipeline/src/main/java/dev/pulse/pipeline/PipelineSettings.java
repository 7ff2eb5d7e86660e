package dev.pulse.pipeline;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a streaming job connects: from {@code --name value} arguments, falling back to environment
 * variables (the FlinkDeployment sets these), then to defaults.
 *
 * @param plan the PipelinePlan JSON file ({@code --plan}, {@code PULSE_PLAN})
 * @param bootstrapServers Kafka ({@code --bootstrap-servers}, {@code PULSE_KAFKA_BOOTSTRAP_SERVERS})
 * @param jdbcUrl serving store ({@code --jdbc-url}, {@code PULSE_JDBC_URL})
 * @param jdbcUser {@code --jdbc-user}, {@code PULSE_JDBC_USER}
 * @param jdbcPassword {@code --jdbc-password}, {@code PULSE_JDBC_PASSWORD}
 * @param createTables create missing serving tables ({@code --create-tables}, {@code PULSE_CREATE_TABLES}; default false:
 *     the operator owns the schema)
 * @param checkpointIntervalMs {@code --checkpoint-interval-ms}, default 10000
 * @param flushIntervalMs longest a row waits before it is written ({@code --flush-interval-ms}, default 1000)
 * @param batchSize rows per upsert batch ({@code --batch-size}, default 500)
 * @param deadLetterTopic where malformed records go, or null to count them only ({@code --dead-letter-topic})
 * @param bounded read up to the partitions' latest offsets at start, finalize every window and stop
 *     ({@code --bounded true}; catch-up runs and benchmarks)
 * @param checkpointDir where checkpoints go, kept when the job is cancelled ({@code --checkpoint-dir},
 *     {@code PULSE_CHECKPOINT_DIR}; a URI such as {@code file:///data/checkpoints}); null: in memory
 * @param restore a checkpoint or savepoint to start from, allowing state of removed analyses
 *     ({@code --restore}, {@code PULSE_RESTORE}); null: start fresh
 * @param malformedDeadLetters whether this job writes the stream's malformed records to the dead-letter
 *     topic ({@code --malformed-dead-letters}, default true). Of a stream's pipelines one does (the
 *     operator says which), so each malformed record is a dead letter once; the others count them only.
 *     Late events are every pipeline's own (its analyses') and always written.
 */
public record PipelineSettings(
        Path plan,
        String bootstrapServers,
        String jdbcUrl,
        String jdbcUser,
        String jdbcPassword,
        boolean createTables,
        long checkpointIntervalMs,
        long flushIntervalMs,
        int batchSize,
        String deadLetterTopic,
        boolean bounded,
        String checkpointDir,
        String restore,
        boolean malformedDeadLetters) {

    /** Settings without checkpoint directory or restore point. */
    public PipelineSettings(Path plan, String bootstrapServers, String jdbcUrl, String jdbcUser, String jdbcPassword,
            boolean createTables, long checkpointIntervalMs, long flushIntervalMs, int batchSize, String deadLetterTopic, boolean bounded) {
        this(plan, bootstrapServers, jdbcUrl, jdbcUser, jdbcPassword, createTables, checkpointIntervalMs, flushIntervalMs, batchSize,
                deadLetterTopic, bounded, null, null, true);
    }

    public static PipelineSettings from(String[] args, Map<String, String> env) {
        Map<String, String> a = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "': use --name value");
            }
            String name = args[i].substring(2);
            if (name.equals("create-tables")) {
                a.put(name, "true");
            } else if (i + 1 < args.length) {
                a.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        String plan = value(a, env, "plan", "PULSE_PLAN", null);
        if (plan == null) {
            throw new IllegalArgumentException("--plan <file> (or PULSE_PLAN) is required");
        }
        return new PipelineSettings(Path.of(plan),
                value(a, env, "bootstrap-servers", "PULSE_KAFKA_BOOTSTRAP_SERVERS", "localhost:9092"),
                value(a, env, "jdbc-url", "PULSE_JDBC_URL", null),
                value(a, env, "jdbc-user", "PULSE_JDBC_USER", null),
                value(a, env, "jdbc-password", "PULSE_JDBC_PASSWORD", null),
                Boolean.parseBoolean(value(a, env, "create-tables", "PULSE_CREATE_TABLES", "false")),
                Long.parseLong(value(a, env, "checkpoint-interval-ms", "PULSE_CHECKPOINT_INTERVAL_MS", "10000")),
                Long.parseLong(value(a, env, "flush-interval-ms", "PULSE_FLUSH_INTERVAL_MS", "1000")),
                Integer.parseInt(value(a, env, "batch-size", "PULSE_BATCH_SIZE", "500")),
                value(a, env, "dead-letter-topic", "PULSE_DEAD_LETTER_TOPIC", null),
                Boolean.parseBoolean(value(a, env, "bounded", "PULSE_BOUNDED", "false")),
                value(a, env, "checkpoint-dir", "PULSE_CHECKPOINT_DIR", null),
                value(a, env, "restore", "PULSE_RESTORE", null),
                Boolean.parseBoolean(value(a, env, "malformed-dead-letters", "PULSE_MALFORMED_DEAD_LETTERS", "true")));
    }

    private static String value(Map<String, String> args, Map<String, String> env, String arg, String var, String fallback) {
        String v = args.get(arg);
        if (v == null) {
            v = env.get(var);
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
