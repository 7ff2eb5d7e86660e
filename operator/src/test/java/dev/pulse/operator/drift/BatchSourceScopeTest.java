package dev.pulse.operator.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.serving.ServingSchema;
import dev.pulse.api.v1alpha1.metric.Metric;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.testsupport.PostgresExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batch sources are allowed per namespace: a Metric may compare only with a source the platform team
 * allowed for its namespace, a refusal names only the sources its namespace may use, and no
 * condition message carries a connection string or the database's own error text.
 */
class BatchSourceScopeTest {
    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.shared();

    private static Metric orders;
    private static AnalysisPlan plan;
    private static DriftCheck check;

    @BeforeAll
    static void setUp() throws Exception {
        List<HasMetadata> resources = DriftReconciliationTest.load("/drift/orders.yaml");
        orders = (Metric) resources.stream().filter(r -> r instanceof Metric m && m.getMetadata().getName().equals("orders")).findFirst().orElseThrow();
        plan = new PlanCompiler(Map.of()).compile(resources).plans().get(0).analysis(AnalysisKind.Metric, "orders").orElseThrow();
        try (Connection serving = POSTGRES.freshDatabase("scope_serving"); Connection warehouse = POSTGRES.freshDatabase("scope_warehouse")) {
            // the streaming side is there; the warehouse has no batch table: the comparison fails on the source
            ServingSchema.applyAnalyses(serving, List.of(plan));
        }
        Map<String, String> props = new HashMap<>();
        props.put("pulse.jdbc.url", POSTGRES.jdbcUrl("scope_serving"));
        props.put("pulse.jdbc.user", "postgres");
        props.put("pulse.jdbc.password", "postgres");
        props.put("pulse.probes.timeout", "5s");
        props.put("pulse.batch-sources.\"warehouse\".jdbc-url", POSTGRES.jdbcUrl("scope_warehouse"));
        props.put("pulse.batch-sources.\"warehouse\".username", "postgres");
        props.put("pulse.batch-sources.\"warehouse\".password", "postgres");
        props.put("pulse.batch-sources.\"warehouse\".namespaces", "growth,checkout");
        props.put("pulse.batch-sources.\"finance\".jdbc-url", "jdbc:postgresql://finance.example.internal:5432/ledger");
        props.put("pulse.batch-sources.\"finance\".namespaces", "finance");
        props.put("pulse.batch-sources.\"events\".jdbc-url", "jdbc:postgresql://127.0.0.1:1/events");
        props.put("pulse.batch-sources.\"events\".namespaces", "*");
        props.put("pulse.batch-sources.\"unassigned\".jdbc-url", "jdbc:postgresql://unassigned.example.internal:5432/x");
        PulseConfig config = new SmallRyeConfigBuilder().withMapping(PulseConfig.class).withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(props, "test", 300)).build().getConfigMapping(PulseConfig.class);
        check = new DriftCheck(config, Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC), new dev.pulse.operator.serving.ServingDatabase(config));
    }

    @Test
    void aSourceNotAllowedForTheNamespaceReadsAsNotConfiguredAndOnlyAllowedSourcesAreNamed() {
        DriftOutcome marketing = compare("marketing", "warehouse");
        assertThat(marketing.kind()).isEqualTo(DriftOutcome.Kind.SOURCE_NOT_CONFIGURED);
        assertThat(marketing.message()).contains("no batch source 'warehouse' is available to namespace 'marketing'", "available: [events]")
                .doesNotContain("finance", "unassigned", "jdbc:");

        DriftOutcome growth = compare("growth", "finance");
        assertThat(growth.kind()).isEqualTo(DriftOutcome.Kind.SOURCE_NOT_CONFIGURED);
        assertThat(growth.message()).contains("available: [events, warehouse]").doesNotContain("unassigned", "jdbc:", "example.internal");

        assertThat(compare("finance", "unassigned").kind()).as("a source allowed for no namespace").isEqualTo(DriftOutcome.Kind.SOURCE_NOT_CONFIGURED);
    }

    @Test
    void failuresOfAnAllowedSourceNameNeitherItsAddressNorTheDatabasesText() {
        DriftOutcome missingTable = compare("growth", "warehouse");
        assertThat(missingTable.kind()).isEqualTo(DriftOutcome.Kind.FAILED);
        assertThat(missingTable.message()).isEqualTo("batch source 'warehouse' has no such table (or schema) (SQLState 42P01) reading table "
                + "'warehouse.daily_orders' (spec.reconciliation: table, dayColumn, valueColumn, dimensionColumns)");

        DriftOutcome unreachable = compare("anywhere", "events");
        assertThat(unreachable.kind()).isEqualTo(DriftOutcome.Kind.FAILED);
        assertThat(unreachable.message()).startsWith("cannot connect to batch source 'events'").doesNotContain("127.0.0.1", ":1", "jdbc:");
    }

    /** The drift check of the orders Metric, as if it were in the namespace and named the source, for a day asked for now. */
    private static DriftOutcome compare(String namespace, String source) {
        Metric m = new KubernetesSerialization().clone(orders);
        m.getMetadata().setNamespace(namespace);
        m.getMetadata().setUid(UUID.randomUUID().toString());
        m.getMetadata().setAnnotations(Map.of(DriftCheck.RECONCILE_NOW, "2026-03-08"));
        m.getSpec().getReconciliation().setSource(source);
        return check.check(m, plan).outcome();
    }
}
