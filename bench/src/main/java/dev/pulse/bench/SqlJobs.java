package dev.pulse.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/** The hand-written Flink SQL job of one metric: Kafka JSON → window TVF aggregate → JDBC upsert into PostgreSQL. */
final class SqlJobs {
    private SqlJobs() {
    }

    /** Runs the metric's SQL job over the whole topic; returns {wall ms, net runtime ms}. */
    static long[] run(BenchMetric m, String bootstrap, String topic, String jdbcUrl, int parallelism) throws Exception {
        String table = m.name().replace('-', '_');
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS bench_sql");
            s.execute("DROP TABLE IF EXISTS bench_sql." + table);
            s.execute("CREATE TABLE bench_sql." + table + " (window_start timestamp, window_end timestamp, "
                    + (m.dimension() == null ? "" : "d text NOT NULL, ") + "value double precision, "
                    + "PRIMARY KEY (window_start" + (m.dimension() == null ? "" : ", d") + "))");
        }
        long started = System.nanoTime();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration());
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        t.getConfig().set("table.local-time-zone", "UTC");
        t.executeSql("CREATE TABLE events (event STRING, user_id STRING, ts BIGINT, platform STRING, country STRING, amount DOUBLE, "
                + "rt AS TO_TIMESTAMP_LTZ(ts, 3), WATERMARK FOR rt AS rt - INTERVAL '5' SECOND) WITH ("
                + "'connector' = 'kafka', 'topic' = '" + topic + "', 'properties.bootstrap.servers' = '" + bootstrap + "', "
                + "'properties.group.id' = 'bench-sql-" + table + "', 'scan.startup.mode' = 'earliest-offset', "
                + "'scan.bounded.mode' = 'latest-offset', 'format' = 'json', 'json.ignore-parse-errors' = 'true')");
        t.executeSql("CREATE TABLE sink (window_start TIMESTAMP(3), window_end TIMESTAMP(3), "
                + (m.dimension() == null ? "" : "d STRING, ") + "`value` DOUBLE, PRIMARY KEY (window_start"
                + (m.dimension() == null ? "" : ", d") + ") NOT ENFORCED) WITH ('connector' = 'jdbc', 'url' = '" + jdbcUrl + "', "
                + "'table-name' = 'bench_sql." + table + "', 'sink.buffer-flush.max-rows' = '500', 'sink.buffer-flush.interval' = '1s')");
        String dim = m.dimension() == null ? "" : ", COALESCE(" + m.dimension() + ", '\u2400')";
        String group = m.dimension() == null ? "" : ", " + m.dimension();
        TableResult result = t.executeSql("INSERT INTO sink SELECT window_start, window_end" + dim + ", " + m.value()
                + " FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(rt), INTERVAL '1' MINUTE))"
                + (m.where() == null ? "" : " WHERE " + m.where())
                + " GROUP BY window_start, window_end" + group);
        JobExecutionResult done = result.getJobClient().orElseThrow().getJobExecutionResult().get();
        return new long[] {(System.nanoTime() - started) / 1_000_000, done.getNetRuntime()};
    }
}
