package dev.pulse.api.plan;

import java.util.List;

/**
 * Where results are stored: PostgreSQL schema and table (valid, at most 63 bytes), retention, rollup grains.
 *
 * @param columns the dimension columns, in dimension order
 */
public record ServingPlan(String schema, String table, long retentionMs, List<Long> rollupsMs, List<String> columns) {
}
