package dev.pulse.api.plan;

import static dev.pulse.api.compile.Fixtures.FUNNEL;
import static dev.pulse.api.compile.Fixtures.ORDERS;
import static dev.pulse.api.compile.Fixtures.RETENTION;
import static dev.pulse.api.compile.Fixtures.STREAM;
import static dev.pulse.api.compile.Fixtures.load;
import static dev.pulse.api.compile.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.AnalysisChange.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The classification of definition changes, on plans compiled from small definition variations. */
class PlanChangesTest {
    private static final long DAY = 86_400_000L;

    private static List<PipelinePlan> plans(String... yamls) {
        Compilation c = new PlanCompiler().compile(load(yamls));
        assertThat(c.problems()).isEmpty();
        return c.plans();
    }

    private static AnalysisChange change(PlanChanges changes, AnalysisKind kind, String name) {
        return changes.of(kind, "growth", name).orElseThrow();
    }

    private static PipelineChange.Type pipeline(PlanChanges changes, String name) {
        return changes.pipeline("growth", name).orElseThrow().type();
    }

    @Test
    void theSameDefinitionsChangeNothingEvenWhenThePlansWereReadBackFromJson() {
        List<PipelinePlan> before = plans(STREAM, ORDERS, FUNNEL, RETENTION).stream().map(p -> PlanJson.read(PlanJson.write(p))).toList();
        PlanChanges changes = PlanChanges.between(before, plans(STREAM, ORDERS, FUNNEL, RETENTION));
        assertThat(changes.analyses()).hasSize(3).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo(Type.Unchanged);
            assertThat(c.changed()).isEmpty();
            assertThat(c.keepsState()).isTrue();
            assertThat(c.backfill()).isNull();
        });
        assertThat(changes.analyses()).extracting(AnalysisChange::name).containsExactly("checkout", "orders", "buyers");
        assertThat(changes.pipelines()).singleElement().isEqualTo(new PipelineChange("growth", "shop-events-pipeline", PipelineChange.Type.Unchanged));
    }

    @Test
    void anAnalysisNotRunningBeforeIsNewWithItsDeclaredBackfillAndItsPipelineRestarts() {
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS), plans(STREAM, ORDERS, RETENTION + "  backfill: {from: 3d}\n"));
        AnalysisChange buyers = change(changes, AnalysisKind.Retention, "buyers");
        assertThat(buyers.type()).isEqualTo(Type.New);
        assertThat(buyers.before()).isNull();
        assertThat(buyers.keepsState()).isFalse();
        assertThat(buyers.backfill().mode()).isEqualTo(BackfillPlan.Mode.duration);
        assertThat(buyers.backfill().durationMs()).isEqualTo(3 * DAY);
        assertThat(change(changes, AnalysisKind.Metric, "orders").type()).isEqualTo(Type.Unchanged);
        assertThat(pipeline(changes, "shop-events-pipeline")).isEqualTo(PipelineChange.Type.Restarted);
        // with nothing running, everything is New and every pipeline is created
        PlanChanges fromNothing = PlanChanges.between(List.of(), plans(STREAM, ORDERS, FUNNEL));
        assertThat(fromNothing.analyses()).extracting(AnalysisChange::type).containsOnly(Type.New);
        assertThat(fromNothing.analyses()).allSatisfy(c -> assertThat(c.backfill()).isEqualTo(BackfillPlan.EARLIEST));
        assertThat(pipeline(fromNothing, "shop-events-pipeline")).isEqualTo(PipelineChange.Type.Created);
    }

    @Test
    void aSemanticChangeIsANewVersionNamingEachChangedField() {
        String changed = with(with(ORDERS, "size: 1m", "size: 5m"), "dimensions: [platform]", "dimensions: [platform, country]");
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(STREAM, changed + "  backfill: {from: none}\n", FUNNEL));
        AnalysisChange orders = change(changes, AnalysisKind.Metric, "orders");
        assertThat(orders.type()).isEqualTo(Type.NewVersion);
        assertThat(orders.changed()).containsExactly("dimensions", "window");
        assertThat(orders.before().analysis().semanticHash()).isNotEqualTo(orders.after().analysis().semanticHash());
        assertThat(orders.keepsState()).isFalse();
        assertThat(orders.backfill().mode()).isEqualTo(BackfillPlan.Mode.none);
        assertThat(change(changes, AnalysisKind.Funnel, "checkout").type()).isEqualTo(Type.Unchanged);
    }

    @Test
    void eachSemanticFieldIsNamedAsItsSpecPath() {
        Map<String, String[]> metric = Map.of(
                "events", new String[] {"events: [purchase]", "events: [purchase, refund]"},
                "where", new String[] {"value: \"100\"", "value: \"200\""},
                "aggregation", new String[] {"aggregation: {type: count}", "aggregation: {type: sum, field: amount}"});
        metric.forEach((field, edit) -> assertThat(change(PlanChanges.between(plans(STREAM, ORDERS), plans(STREAM, with(ORDERS, edit[0], edit[1]))),
                AnalysisKind.Metric, "orders").changed()).as(field).containsExactly(field));
        assertThat(change(PlanChanges.between(plans(STREAM, ORDERS), plans(STREAM, ORDERS + "  allowedLateness: 1m\n")),
                AnalysisKind.Metric, "orders").changed()).containsExactly("allowedLateness");
        assertThat(change(PlanChanges.between(plans(STREAM, ORDERS), plans(STREAM, ORDERS + "  expression: \"amount > 1.0\"\n")),
                AnalysisKind.Metric, "orders").changed()).containsExactly("expression");

        Map<String, String[]> funnel = Map.of(
                "steps", new String[] {"name: carted", "name: in-cart"},
                "conversionWindow", new String[] {"conversionWindow: 30m", "conversionWindow: 1h"},
                "exclusions", new String[] {"events: [cart_cleared]", "events: [cart_emptied]"});
        funnel.forEach((field, edit) -> assertThat(change(PlanChanges.between(plans(STREAM, FUNNEL), plans(STREAM, with(FUNNEL, edit[0], edit[1]))),
                AnalysisKind.Funnel, "checkout").changed()).as(field).containsExactly(field));
        assertThat(change(PlanChanges.between(plans(STREAM, FUNNEL), plans(STREAM, FUNNEL + "  order: strict\n  countBy: totals\n")),
                AnalysisKind.Funnel, "checkout").changed()).containsExactly("order", "countBy");

        // a retention's window is its period: named once, as the period
        AnalysisChange buyers = change(PlanChanges.between(plans(STREAM, RETENTION),
                plans(STREAM, with(with(RETENTION, "period: 1d", "period: 7d"), "periods: 7", "periods: 4"))), AnalysisKind.Retention, "buyers");
        assertThat(buyers.changed()).containsExactly("period", "periods");
        assertThat(change(PlanChanges.between(plans(STREAM, RETENTION), plans(STREAM, with(RETENTION, "return: {events: [purchase]}",
                "return: {events: [purchase, refund]}"))), AnalysisKind.Retention, "buyers").changed()).containsExactly("return");
    }

    @Test
    void aStreamSettingThatDecidesWhichEventsCountMakesANewVersionOfEveryAnalysisOverIt() {
        String seconds = with(STREAM, "format: epochMillis", "format: epochSeconds");
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(seconds, ORDERS, FUNNEL));
        assertThat(changes.analyses()).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo(Type.NewVersion);
            assertThat(c.changed()).containsExactly("stream.timestamp.format");
        });
        String watermark = with(STREAM, "  eventTypeField: event\n", "  eventTypeField: event\n  watermark: {maxOutOfOrderness: 2m}\n");
        assertThat(PlanChanges.between(plans(STREAM, ORDERS), plans(watermark, ORDERS)).analyses()).singleElement()
                .satisfies(c -> assertThat(c.changed()).containsExactly("stream.watermark.maxOutOfOrderness"));
    }

    @Test
    void theAdmissionLimitsOfAStreamMakeANewVersionOfEveryAnalysisOverIt() {
        String limits = with(STREAM, "  eventTypeField: event\n",
                "  eventTypeField: event\n  watermark: {maxFutureSkew: 2h}\n  limits: {maxRecordBytes: 2048, maxValueLength: 64}\n");
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(limits, ORDERS, FUNNEL));
        assertThat(changes.analyses()).hasSize(2).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo(Type.NewVersion);
            assertThat(c.changed()).containsExactly("stream.watermark.maxFutureSkew", "stream.limits.maxRecordBytes",
                    "stream.limits.maxValueLength");
        });
        // the defaults written out are the same version as left out
        String defaults = with(STREAM, "  eventTypeField: event\n",
                "  eventTypeField: event\n  watermark: {maxFutureSkew: 1h}\n  limits: {maxRecordBytes: 1048576, maxValueLength: 256}\n");
        assertThat(PlanChanges.between(plans(STREAM, ORDERS), plans(defaults, ORDERS)).analyses()).singleElement()
                .satisfies(c -> assertThat(c.type()).isEqualTo(Type.Unchanged));
    }

    @Test
    void retypingAFieldIsANewVersionOnlyOfTheAnalysesThatReadIt() {
        String retyped = with(STREAM, "{name: platform, type: string}", "{name: platform, type: long}");
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(retyped, ORDERS, FUNNEL));
        AnalysisChange orders = change(changes, AnalysisKind.Metric, "orders");
        assertThat(orders.type()).isEqualTo(Type.NewVersion);
        assertThat(orders.changed()).containsExactly("stream.fields[platform].type");
        assertThat(change(changes, AnalysisKind.Funnel, "checkout").type()).isEqualTo(Type.Unchanged);
    }

    @Test
    void otherSettingsAreSettingsOnlyAndKeepTheState() {
        String edited = ORDERS + "  emitEvery: 30s\n  serving: {retention: 90d, rollups: [1h]}\n  anomaly: {algorithm: zscore}\n  outputTopic: true\n";
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(STREAM, edited, FUNNEL));
        AnalysisChange orders = change(changes, AnalysisKind.Metric, "orders");
        assertThat(orders.type()).isEqualTo(Type.SettingsOnly);
        assertThat(orders.changed()).containsExactly("emitEvery", "anomaly", "serving.retention", "serving.rollups", "outputTopic");
        assertThat(orders.keepsState()).isTrue();
        assertThat(orders.moved()).isFalse();
        assertThat(orders.backfill()).isNull();
        // they are in the plan, so the job restarts (from its savepoint)
        assertThat(pipeline(changes, "shop-events-pipeline")).isEqualTo(PipelineChange.Type.Restarted);

        String parallel = with(STREAM, "  eventTypeField: event\n", "  eventTypeField: event\n  pipeline: {parallelism: 4}\n");
        assertThat(PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(parallel, ORDERS, FUNNEL)).analyses()).allSatisfy(c -> {
            assertThat(c.type()).isEqualTo(Type.SettingsOnly);
            assertThat(c.changed()).containsExactly("stream.pipeline.parallelism");
        });
    }

    @Test
    void movingToAnotherPipelineKeepsTheVersionButNotTheState() {
        String dedicated = ORDERS + "  pipeline: {isolation: dedicated}\n";
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(STREAM, dedicated, FUNNEL));
        AnalysisChange orders = change(changes, AnalysisKind.Metric, "orders");
        assertThat(orders.type()).isEqualTo(Type.SettingsOnly);
        assertThat(orders.changed()).containsExactly("pipeline.isolation");
        assertThat(orders.moved()).isTrue();
        assertThat(orders.keepsState()).isFalse();
        assertThat(orders.resumes()).isTrue();
        assertThat(orders.backfill()).isEqualTo(BackfillPlan.EARLIEST);
        assertThat(orders.before().pipeline()).isEqualTo("shop-events-pipeline");
        assertThat(orders.after().pipeline()).isEqualTo("shop-events-mt-orders");
        assertThat(pipeline(changes, "shop-events-mt-orders")).isEqualTo(PipelineChange.Type.Created);
        assertThat(pipeline(changes, "shop-events-pipeline")).isEqualTo(PipelineChange.Type.Restarted);

        // and back: the dedicated pipeline goes
        PlanChanges back = PlanChanges.between(plans(STREAM, dedicated, FUNNEL), plans(STREAM, ORDERS, FUNNEL));
        assertThat(change(back, AnalysisKind.Metric, "orders").resumes()).isTrue();
        assertThat(pipeline(back, "shop-events-mt-orders")).isEqualTo(PipelineChange.Type.Deleted);

        // a move together with a semantic change is a new version, and says it moved
        PlanChanges both = PlanChanges.between(plans(STREAM, ORDERS), plans(STREAM, with(dedicated, "size: 1m", "size: 5m")));
        AnalysisChange moved = change(both, AnalysisKind.Metric, "orders");
        assertThat(moved.type()).isEqualTo(Type.NewVersion);
        assertThat(moved.changed()).containsExactly("window", "pipeline.isolation");
        assertThat(moved.resumes()).isFalse();
    }

    @Test
    void anAnalysisNoLongerDefinedIsRemoved() {
        PlanChanges changes = PlanChanges.between(plans(STREAM, ORDERS, FUNNEL), plans(STREAM, ORDERS));
        AnalysisChange checkout = change(changes, AnalysisKind.Funnel, "checkout");
        assertThat(checkout.type()).isEqualTo(Type.Removed);
        assertThat(checkout.after()).isNull();
        assertThat(checkout.keepsState()).isFalse();
        assertThat(checkout.backfill()).isNull();
        assertThat(pipeline(changes, "shop-events-pipeline")).isEqualTo(PipelineChange.Type.Restarted);
    }

    @Test
    void backfillPinsAndBackfillSettingsOfARunningVersionAreNotAChange() {
        List<PipelinePlan> compiled = plans(STREAM, ORDERS, FUNNEL);
        List<PipelinePlan> pinned = compiled.stream().map(p -> p.pinned(1_000_000L, Map.of(0, 10L), Map.of())).toList();
        PlanChanges changes = PlanChanges.between(pinned, plans(STREAM, ORDERS + "  backfill: {from: 1d}\n", FUNNEL));
        assertThat(changes.analyses()).extracting(AnalysisChange::type).containsOnly(Type.Unchanged);
        assertThat(changes.pipelines()).extracting(PipelineChange::type).containsOnly(PipelineChange.Type.Unchanged);
    }

    @Test
    void aNewHashOfTheSameDefinitionIsANewVersionWithNoFieldNamed() {
        // what plans compiled by a Pulse release with other version rules look like
        PipelinePlan p = plans(STREAM, ORDERS).get(0);
        AnalysisPlan a = p.analyses().get(0);
        AnalysisPlan older = new AnalysisPlan(a.id(), a.kind(), a.namespace(), a.name(), "0123456789", a.dimensions(), a.filter(), a.window(),
                a.allowedLatenessMs(), a.emitEveryMs(), a.metric(), a.funnel(), a.retention(), a.serving(), a.outputTopic(), a.backfill());
        PipelinePlan before = new PipelinePlan(p.apiVersion(), p.pipeline(), null, p.stream(), List.of(older));
        AnalysisChange orders = PlanChanges.between(List.of(before), List.of(p)).analyses().get(0);
        assertThat(orders.type()).isEqualTo(Type.NewVersion);
        assertThat(orders.changed()).isEmpty();
    }

    @Test
    void anAnalysisInTwoPipelinesOfOneSetIsRefused() {
        List<PipelinePlan> twice = List.of(plans(STREAM, ORDERS).get(0), plans(STREAM, ORDERS + "  pipeline: {isolation: dedicated}\n").get(0));
        assertThatThrownBy(() -> PlanChanges.between(twice, List.of())).hasMessageContaining("Metric growth/orders is in two pipelines");
    }
}
