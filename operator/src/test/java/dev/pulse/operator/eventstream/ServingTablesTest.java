package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.render.PipelineException;
import dev.pulse.testsupport.PostgresExtension;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServingTablesTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.shared();

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static PipelinePlan plan() {
        return plan("[1h]", "1m");
    }

    private static PipelinePlan plan(String rollups, String emitEvery) {
        EventStream stream = YAML.unmarshal("""
                apiVersion: pulse.dev/v1alpha1
                kind: EventStream
                metadata: {name: shop-events, namespace: tables}
                spec:
                  kafka: {topic: shop-events}
                  eventTypeField: event
                  actorField: user_id
                  timestamp: {field: ts}
                  fields: [{name: platform, type: string}]
                """, EventStream.class);
        Metric metric = YAML.unmarshal("""
                apiVersion: pulse.dev/v1alpha1
                kind: Metric
                metadata: {name: orders, namespace: tables}
                spec:
                  stream: shop-events
                  events: [purchase]
                  aggregation: {type: count}
                  dimensions: [platform]
                  window: {type: tumbling, size: 1m}
                  emitEvery: %s
                  serving: {rollups: %s}
                """.formatted(emitEvery, rollups), Metric.class);
        Compilation c = new PlanCompiler().compile(List.of(stream, metric));
        assertThat(c.problems()).isEmpty();
        return c.plans().get(0);
    }

    /** Connections to a database, counted. */
    private static final class Counting implements ServingTables.Connector {
        final String url;
        int opened;

        Counting(String url) {
            this.url = url;
        }

        @Override
        public Connection open() throws SQLException {
            opened++;
            return DriverManager.getConnection(url, "postgres", null);
        }
    }

    /** A database that refuses every connection, as the driver reports it. */
    private static final ServingTables.Connector DOWN = () -> {
        throw new SQLException("Connection to 10.1.2.3:5432 refused (secret host name)", "08001");
    };

    @Test
    void theStreamsTablesAndCatalogEntriesExistBeforeItsPipelineIsDeployed() throws Exception {
        PipelinePlan plan = plan();
        POSTGRES.freshDatabase("serving_tables").close();
        String url = POSTGRES.jdbcUrl("serving_tables");
        new ServingTables(new Counting(url), null).apply("tables/shop-events", List.of(plan), List.of());
        new ServingTables(new Counting(url), null).apply("tables/shop-events", List.of(plan), List.of()); // idempotent
        TableLayout detail = TableLayout.of(plan.analyses().get(0));
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT to_regclass('" + detail.qualifiedName() + "') IS NOT NULL,"
                        + " (SELECT count(*) FROM pulse_catalog.analyses WHERE name = 'orders')")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getBoolean(1)).as("detail table").isTrue();
            assertThat(r.getLong(2)).as("catalog entries").isEqualTo(1);
        }
    }

    @Test
    void aSchemaChangeWaitsForAnotherOneRatherThanTimingOut() throws Exception {
        POSTGRES.freshDatabase("serving_tables_queue").close();
        String url = POSTGRES.jdbcUrl("serving_tables_queue");
        // as the operator connects for DDL, with a lock_timeout far below how long the other schema change takes
        ServingTables.Connector impatient = () -> {
            Connection c = DriverManager.getConnection(url, "postgres", null);
            try (Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = 50");
            }
            return c;
        };
        try (Connection other = DriverManager.getConnection(url, "postgres", null); Statement s = other.createStatement()) {
            other.setAutoCommit(false);
            s.execute("SELECT pg_advisory_xact_lock(" + ServingSchema.DDL_LOCK + ")");
            // the other schema change ends once this one has waited for the DDL lock four times its lock_timeout
            Thread release = new Thread(() -> {
                try (Connection watch = DriverManager.getConnection(url, "postgres", null); Statement w = watch.createStatement()) {
                    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                    while (System.nanoTime() < deadline) {
                        try (ResultSet r = w.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")) {
                            r.next();
                            if (r.getLong(1) > 0) {
                                break;
                            }
                        }
                        Thread.sleep(5);
                    }
                    Thread.sleep(200);
                    other.commit();
                } catch (InterruptedException | SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            try {
                assertThat(new ServingTables(impatient, null).apply("tables/shop-events", List.of(plan()), List.of())).isTrue();
            } finally {
                release.join();
            }
        }
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM pulse_catalog.analyses WHERE name = 'orders'")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void theSchemaChangesRunOnlyWhenTheAnalysesChanged() throws Exception {
        POSTGRES.freshDatabase("serving_tables_once").close();
        Counting db = new Counting(POSTGRES.jdbcUrl("serving_tables_once"));
        ServingTables tables = new ServingTables(db, null);
        PipelinePlan plan = plan();
        assertThat(tables.apply("tables/shop-events", List.of(plan), List.of())).isTrue();
        assertThat(db.opened).isEqualTo(1);
        // a reconcile that changes nothing of the analyses (a status change, a suspend) does not connect
        assertThat(tables.apply("tables/shop-events", List.of(plan), List.of(plan))).isTrue();
        assertThat(db.opened).isEqualTo(1);
        // another stream's tables are its own
        assertThat(tables.apply("tables/other-events", List.of(plan), List.of())).isTrue();
        assertThat(db.opened).isEqualTo(2);
        // a new rollup is a new table
        assertThat(tables.apply("tables/shop-events", List.of(plan("[1h, 1d]", "1m")), List.of(plan))).isTrue();
        assertThat(db.opened).isEqualTo(3);
    }

    @Test
    void aDatabaseThatIsDownBlocksOnlyAChangeThatNeedsANewTable() {
        ServingTables tables = new ServingTables(DOWN, null);
        PipelinePlan plan = plan();
        // a first roll-out: its tables may not exist
        assertThatThrownBy(() -> tables.apply("tables/shop-events", List.of(plan), List.of()))
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).reason()).isEqualTo("ServingStoreUnavailable"))
                .hasMessageContaining("cannot create the serving tables of stream tables/shop-events")
                .hasMessageContaining("SQLState 08001")
                .hasMessageNotContaining("10.1.2.3");
        // the same tables as deployed (after a restart of the operator), or a settings change: the roll-out goes on
        assertThat(tables.apply("tables/shop-events", List.of(plan), List.of(plan))).isFalse();
        assertThat(tables.apply("tables/shop-events", List.of(plan("[1h]", "10s")), List.of(plan))).isFalse();
        // a new rollup table waits for the database
        assertThatThrownBy(() -> tables.apply("tables/shop-events", List.of(plan("[1h, 1d]", "1m")), List.of(plan)))
                .isInstanceOf(PipelineException.class);
    }

    @Test
    void withoutAServingDatabaseOrWithoutPlansNoConnectionIsTried() {
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(
                () -> new ServingTables((ServingTables.Connector) null, null).apply("tables/shop-events", List.of(plan()), List.of()));
        // an unreachable database is not contacted when there is nothing to set up (it would throw)
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(
                () -> new ServingTables(DOWN, null).apply("tables/shop-events", List.of(), List.of()));
    }
}
