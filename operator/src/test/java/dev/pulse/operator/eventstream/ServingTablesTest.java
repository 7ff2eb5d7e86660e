package dev.pulse.operator.eventstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.serving.TableLayout;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.render.PipelineException;
import dev.pulse.testsupport.PostgresExtension;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ServingTablesTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.shared();

    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private static PipelinePlan plan() {
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
                  serving: {rollups: [1h]}
                """, Metric.class);
        Compilation c = new PlanCompiler().compile(List.of(stream, metric));
        assertThat(c.problems()).isEmpty();
        return c.plans().get(0);
    }

    @Test
    void theStreamsTablesAndCatalogEntriesExistBeforeItsPipelineIsDeployed() throws Exception {
        PipelinePlan plan = plan();
        POSTGRES.freshDatabase("serving_tables").close();
        String url = POSTGRES.jdbcUrl("serving_tables");
        ServingTables.apply(Optional.of(url), Optional.of("postgres"), Optional.empty(), List.of(plan));
        ServingTables.apply(Optional.of(url), Optional.of("postgres"), Optional.empty(), List.of(plan)); // idempotent
        TableLayout detail = TableLayout.of(plan.analyses().get(0));
        try (Connection c = java.sql.DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT to_regclass('" + detail.qualifiedName() + "') IS NOT NULL,"
                        + " (SELECT count(*) FROM pulse_catalog.analyses WHERE name = 'orders')")) {
            assertThat(r.next()).isTrue();
            assertThat(r.getBoolean(1)).as("detail table").isTrue();
            assertThat(r.getLong(2)).as("catalog entries").isEqualTo(1);
        }
    }

    @Test
    void aDatabaseThatIsDownIsARetriedReasonNotACrash() {
        assertThatThrownBy(() -> ServingTables.apply(Optional.of("jdbc:postgresql://127.0.0.1:1/none"), Optional.empty(), Optional.empty(),
                List.of(plan())))
                .isInstanceOf(PipelineException.class)
                .satisfies(e -> assertThat(((PipelineException) e).reason()).isEqualTo("ServingStoreUnavailable"))
                .hasMessageContaining("cannot set up the serving tables");
    }

    @Test
    void withoutAServingDatabaseOrWithoutPlansNoConnectionIsTried() {
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(
                () -> ServingTables.apply(Optional.empty(), Optional.empty(), Optional.empty(), List.of(plan())));
        // an unreachable database is not contacted when there is nothing to set up (it would throw)
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(
                () -> ServingTables.apply(Optional.of("jdbc:postgresql://127.0.0.1:1/none"), Optional.empty(), Optional.empty(), List.of()));
    }
}
