package dev.pulse.api.compile;

import static dev.pulse.api.compile.Fixtures.FUNNEL;
import static dev.pulse.api.compile.Fixtures.ORDERS;
import static dev.pulse.api.compile.Fixtures.RETENTION;
import static dev.pulse.api.compile.Fixtures.STREAM;
import static dev.pulse.api.compile.Fixtures.load;
import static dev.pulse.api.compile.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.plan.AnalysisPlan;
import dev.pulse.api.plan.BackfillPlan;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlanCompilerTest {
    private static Compilation compile(String... yamls) {
        return new PlanCompiler().compile(load(yamls));
    }

    private static PipelinePlan onlyPlan(Compilation c) {
        assertThat(c.problems()).isEmpty();
        assertThat(c.plans()).hasSize(1);
        return c.plans().get(0);
    }

    @Test
    void compilesEveryAnalysisOfAStreamIntoOnePlan() {
        PipelinePlan plan = onlyPlan(compile(STREAM, ORDERS, FUNNEL, RETENTION));
        assertThat(plan.apiVersion()).isEqualTo(PipelinePlan.API_VERSION);
        assertThat(plan.pipeline()).isEqualTo("shop-events-pipeline");
        assertThat(plan.stream().consumerGroup()).isEqualTo("pulse.growth.shop-events");
        assertThat(plan.analyses()).extracting(AnalysisPlan::kind).containsExactlyInAnyOrder(AnalysisKind.Metric, AnalysisKind.Funnel, AnalysisKind.Retention);
        // The whole declared schema, sorted by name, whichever fields the analyses read: every record is
        // admitted by its stream's schema alone (docs/bad-events.md).
        assertThat(plan.stream().fields()).extracting(f -> f.name() + ":" + f.type().yamlName())
                .containsExactly("amount:double", "country:string", "first_order:boolean", "platform:string", "quantity:long");
        assertThat(plan.stream().maxFutureSkewMs()).isEqualTo(3_600_000);
        assertThat(plan.stream().maxRecordBytes()).isEqualTo(1_048_576);
        assertThat(plan.stream().maxValueLength()).isEqualTo(256);
        AnalysisPlan orders = plan.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        assertThat(orders.window().sizeMs()).isEqualTo(60_000);
        assertThat(orders.filter().where().get(0).type()).isEqualTo(FieldType.DOUBLE);
        assertThat(orders.serving().table()).startsWith("mt_orders_");
        assertThat(orders.serving().schema()).isEqualTo("pulse_growth");
        assertThat(orders.serving().columns()).containsExactly("d_platform");
        assertThat(plan.hash()).isEqualTo(PlanJson.sha256(plan.withHash(null)));
    }

    @Test
    void theSameInputGivesByteIdenticalPlansWhateverTheOrder() {
        List<HasMetadata> resources = new ArrayList<>(load(STREAM, ORDERS, FUNNEL, RETENTION));
        String first = PlanJson.write(new PlanCompiler().compile(resources).plans());
        for (int seed = 0; seed < 5; seed++) {
            List<HasMetadata> shuffled = new ArrayList<>(load(STREAM, ORDERS, FUNNEL, RETENTION));
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(PlanJson.write(new PlanCompiler().compile(shuffled).plans())).isEqualTo(first);
        }
        PipelinePlan plan = new PlanCompiler().compile(resources).plans().get(0);
        assertThat(PlanJson.write(PlanJson.read(PlanJson.write(plan)))).isEqualTo(PlanJson.write(plan));
    }

    @Test
    void descriptionAndOwnerDoNotChangeTheAnalysisId() {
        String id = onlyPlan(compile(STREAM, ORDERS)).analyses().get(0).id();
        String edited = with(with(ORDERS, "description: orders per minute", "description: something else"), "owner: growth", "owner: sales");
        assertThat(onlyPlan(compile(STREAM, edited)).analyses().get(0).id()).isEqualTo(id);
        String semantic = with(ORDERS, "value: \"100\"", "value: \"200\"");
        String changed = onlyPlan(compile(STREAM, semantic)).analyses().get(0).id();
        assertThat(changed).isNotEqualTo(id).startsWith("mt-growth-orders-");
    }

    @Test
    void theStreamSettingsThatDecideWhichEventsCountArePartOfEveryVersion() {
        PipelinePlan base = onlyPlan(compile(STREAM, ORDERS, FUNNEL));
        List<String> ids = base.analyses().stream().map(AnalysisPlan::id).toList();
        // each of these changes which events count or where they fall: every analysis gets a new version
        for (String[] change : new String[][] {
                {"format: epochMillis", "format: epochSeconds"},
                {"timestamp: {field: ts,", "timestamp: {field: sent_at,"},
                {"eventTypeField: event", "eventTypeField: type"},
                {"actorField: user_id", "actorField: device_id"},
                {"topic: shop-events,", "topic: shop-events-v2,"},
                {"  eventTypeField: event\n", "  eventTypeField: event\n  watermark: {maxOutOfOrderness: 2m}\n"}}) {
            PipelinePlan changed = onlyPlan(compile(with(STREAM, change[0], change[1]), ORDERS, FUNNEL));
            assertThat(changed.analyses()).as(change[1]).extracting(AnalysisPlan::id).doesNotContainAnyElementsOf(ids);
        }
        // the idle timeout, parallelism and suspension change when a job computes, not what: same versions
        String timing = with(STREAM, "  eventTypeField: event\n",
                "  eventTypeField: event\n  watermark: {maxOutOfOrderness: 30s, idleTimeout: 5m}\n  pipeline: {parallelism: 4}\n  suspend: true\n");
        assertThat(onlyPlan(compile(timing, ORDERS, FUNNEL)).analyses()).extracting(AnalysisPlan::id).containsExactlyElementsOf(ids);
    }

    @Test
    void retypingAFieldMakesANewVersionOfTheAnalysesThatReadIt() {
        PipelinePlan base = onlyPlan(compile(STREAM, ORDERS, FUNNEL));
        // platform is the orders metric's dimension; the funnel reads country, not platform
        PipelinePlan retyped = onlyPlan(compile(with(STREAM, "{name: platform, type: string}", "{name: platform, type: long}"), ORDERS, FUNNEL));
        assertThat(retyped.analysis(AnalysisKind.Metric, "orders").orElseThrow().id())
                .isNotEqualTo(base.analysis(AnalysisKind.Metric, "orders").orElseThrow().id());
        assertThat(retyped.analysis(AnalysisKind.Funnel, "checkout").orElseThrow().id())
                .isEqualTo(base.analysis(AnalysisKind.Funnel, "checkout").orElseThrow().id());
    }

    @Test
    void aChangeToOneAnalysisChangesThePlanHashButNotTheOtherIds() {
        PipelinePlan before = onlyPlan(compile(STREAM, ORDERS, FUNNEL));
        PipelinePlan after = onlyPlan(compile(STREAM, with(ORDERS, "size: 1m", "size: 5m"), FUNNEL));
        assertThat(after.hash()).isNotEqualTo(before.hash());
        assertThat(after.analysis(AnalysisKind.Funnel, "checkout").orElseThrow().id()).isEqualTo(before.analysis(AnalysisKind.Funnel, "checkout").orElseThrow().id());
    }

    @Test
    void anInvalidAnalysisKeepsItsPreviousVersionAndTheOthersCompile() {
        PipelinePlan good = onlyPlan(compile(STREAM, ORDERS, FUNNEL));
        String broken = with(ORDERS, "field: amount", "field: amountt");
        Compilation c = new PlanCompiler(Map.of(good.pipeline(), good)).compile(load(STREAM, broken, FUNNEL));
        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.resource()).isEqualTo("Metric/orders");
            assertThat(p.field()).isEqualTo("spec.where[0].field");
            assertThat(p.message()).contains("no field 'amountt'").contains("platform");
        });
        assertThat(c.plans().get(0).analysis(AnalysisKind.Metric, "orders").orElseThrow()).isEqualTo(good.analysis(AnalysisKind.Metric, "orders").orElseThrow());
        assertThat(c.plans().get(0).hash()).isEqualTo(good.hash());
        // Without a previous plan, the invalid analysis is simply left out.
        assertThat(new PlanCompiler().compile(load(STREAM, broken, FUNNEL)).plans().get(0).analyses()).hasSize(1);
    }

    @Test
    void dedicatedAnalysesGetTheirOwnPipeline() {
        String dedicated = ORDERS + "  pipeline: {isolation: dedicated}\n";
        Compilation c = compile(STREAM, dedicated, FUNNEL);
        assertThat(c.problems()).isEmpty();
        assertThat(c.plans()).extracting(PipelinePlan::pipeline).containsExactly("shop-events-mt-orders", "shop-events-pipeline");
        assertThat(c.plans().get(0).analyses()).extracting(AnalysisPlan::name).containsExactly("orders");
    }

    @Test
    void longNamesGiveIdentifiersOfAtMost63Bytes() {
        String longName = "a".repeat(63);
        Compilation c = compile(STREAM, with(ORDERS, "name: orders,", "name: " + longName + ","));
        AnalysisPlan a = onlyPlan(c).analyses().get(0);
        assertThat(a.serving().table().length()).isLessThanOrEqualTo(63);
        assertThat(Names.identifier("mt", longName, "x")).isNotEqualTo(Names.identifier("mt", longName, "y"));
        assertThat(Names.objectName(longName, "pipeline")).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void anAnalysisOverAStreamOfAnotherNamespaceIsRejected() {
        Compilation c = compile(STREAM, with(ORDERS, "namespace: growth", "namespace: sales"));
        assertThat(c.problemsOf("Metric", "sales", "orders")).singleElement()
                .satisfies(p -> assertThat(p.toString()).isEqualTo("Metric/orders: spec.stream: no EventStream 'shop-events' in namespace 'sales' (an analysis reads a stream of its own namespace)"));
    }

    @Test
    void rollupsMustBeCoarserMultiplesOfTheWindow() {
        Compilation c = compile(STREAM, ORDERS + "  serving: {rollups: [1h, 90s, 1d]}\n");
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("spec.serving.rollups[1]"));
    }

    @Test
    void windowsMustFitTheStreamRetention() {
        Compilation c = compile(with(STREAM, "retention: 7d", "retention: 1d"), with(ORDERS, "size: 1m", "size: 2d"));
        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.window.size");
            assertThat(p.message()).contains("Kafka retention (1d)");
        });
    }

    @Test
    void celExpressionsAreTypeChecked() {
        assertThat(compile(STREAM, ORDERS + "  expression: \"platform != 'web' && amount > 10.0\"\n").problems()).isEmpty();
        Compilation bad = compile(STREAM, ORDERS + "  expression: \"amount > 'ten'\"\n");
        assertThat(bad.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("spec.expression"));
        Compilation notBool = compile(STREAM, ORDERS + "  expression: \"amount + 1.0\"\n");
        assertThat(notBool.problems()).singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("spec.expression"));
        Compilation unknown = compile(STREAM, ORDERS + "  expression: \"colour == 'red'\"\n");
        assertThat(unknown.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("colour"));
    }

    @Test
    void backfillFromIsCompiledUnpinnedAndOutsideTheSemanticHash() {
        AnalysisPlan earliest = onlyPlan(compile(STREAM, ORDERS)).analyses().get(0);
        assertThat(earliest.backfill()).isEqualTo(BackfillPlan.EARLIEST);
        AnalysisPlan none = onlyPlan(compile(STREAM, ORDERS + "  backfill: {from: none}\n")).analyses().get(0);
        assertThat(none.backfill().mode()).isEqualTo(BackfillPlan.Mode.none);
        assertThat(none.id()).isEqualTo(earliest.id());
        AnalysisPlan days = onlyPlan(compile(STREAM, ORDERS + "  backfill: {from: 3d}\n")).analyses().get(0);
        assertThat(days.backfill().durationMs()).isEqualTo(3 * 86_400_000L);
        AnalysisPlan time = onlyPlan(compile(STREAM, ORDERS + "  backfill: {from: \"2026-11-01T01:00:00+01:00\"}\n")).analyses().get(0);
        assertThat(time.backfill().fromMs()).isEqualTo(java.time.Instant.parse("2026-11-01T00:00:00Z").toEpochMilli());
        assertThat(List.of(earliest, none, days, time)).allMatch(a -> !a.backfill().pinned());

        Compilation bad = compile(STREAM, ORDERS + "  backfill: {from: \"2026-13-01T00:00:00Z\"}\n");
        assertThat(bad.problems()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.backfill.from");
            assertThat(p.message()).contains("2026-13-01T00:00:00Z").contains("RFC 3339");
        });
    }

    @Test
    void pinsAreKeptWhileTheVersionRunsAndANewVersionIsPinnedAgain() {
        PipelinePlan first = onlyPlan(compile(STREAM, ORDERS, FUNNEL));
        assertThat(first.needsPinning()).isTrue();
        PipelinePlan pinned = first.pinned(1_000_000L, Map.of(0, 10L, 1, 20L), Map.of());
        assertThat(pinned.needsPinning()).isFalse();
        assertThat(pinned.hash()).isEqualTo(PlanJson.sha256(pinned.withHash(null))).isNotEqualTo(first.hash());
        assertThat(pinned.analyses()).allSatisfy(a -> {
            assertThat(a.backfill().pinnedAtMs()).isEqualTo(1_000_000L);
            assertThat(a.backfill().handOver()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(0, 10L, 1, 20L)));
        });

        // the funnel changes, the metric does not: only the funnel needs a new hand-over
        String changedFunnel = with(FUNNEL, "name: carted", "name: in-cart");
        PipelinePlan next = onlyPlan(new PlanCompiler(Map.of(pinned.pipeline(), pinned)).compile(load(STREAM, ORDERS, changedFunnel)));
        AnalysisPlan orders = next.analysis(AnalysisKind.Metric, "orders").orElseThrow();
        AnalysisPlan funnel = next.analysis(AnalysisKind.Funnel, "checkout").orElseThrow();
        assertThat(orders.backfill()).isEqualTo(pinned.analysis(AnalysisKind.Metric, "orders").orElseThrow().backfill());
        assertThat(funnel.backfill().pinned()).isFalse();

        // going back to a version that served before resumes from its latest final window
        PipelinePlan resumed = next.pinned(2_000_000L, Map.of(0, 30L, 1, 40L), Map.of(funnel.id(), 1_500_000L));
        BackfillPlan b = resumed.analysis(AnalysisKind.Funnel, "checkout").orElseThrow().backfill();
        assertThat(b.mode()).isEqualTo(BackfillPlan.Mode.time);
        assertThat(b.countFromMs()).isEqualTo(1_500_000L);
        assertThat(b.finalFromMs()).isEqualTo(1_500_000L);
        assertThat(b.handOver()).containsEntry(0, 30L).containsEntry(1, 40L);
    }

    @Test
    void servingSettingsChangeThePlanButNotWhatTheJobRuns() {
        PipelinePlan before = onlyPlan(compile(STREAM, ORDERS));
        PipelinePlan serving = onlyPlan(compile(STREAM, ORDERS + "  serving: {retention: 90d, rollups: [1h]}\n"));
        PipelinePlan emit = onlyPlan(compile(STREAM, ORDERS + "  emitEvery: 30s\n"));
        assertThat(serving.hash()).isNotEqualTo(before.hash());
        assertThat(serving.jobHash()).isEqualTo(before.jobHash());
        assertThat(emit.jobHash()).isNotEqualTo(before.jobHash());
    }

    @Test
    void aVersionAlreadyRunningUnpinnedIsNeverPinnedLater() {
        // deployed while its hand-over could not be read: it runs without history
        PipelinePlan deployed = onlyPlan(compile(STREAM, ORDERS));
        PipelinePlan next = onlyPlan(new PlanCompiler(Map.of(deployed.pipeline(), deployed)).compile(load(STREAM, ORDERS, FUNNEL)));
        assertThat(next.needsPinning(deployed)).isTrue(); // the funnel is new
        PipelinePlan pinned = next.pinned(5L, Map.of(0, 7L), Map.of(), deployed);
        assertThat(pinned.analysis(AnalysisKind.Metric, "orders").orElseThrow().backfill().pinned()).as("already running").isFalse();
        assertThat(pinned.analysis(AnalysisKind.Funnel, "checkout").orElseThrow().backfill().pinned()).isTrue();
        assertThat(pinned.needsPinning(deployed)).isFalse();
    }
}
