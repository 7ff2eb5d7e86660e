package dev.pulse.pipeline;

import static dev.pulse.pipeline.MixedTraffic.definitions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.pipeline.funnel.AttemptUpdate;
import dev.pulse.pipeline.funnel.FunnelEvent;
import dev.pulse.pipeline.funnel.FunnelRow;
import dev.pulse.pipeline.retention.MemberUpdate;
import dev.pulse.pipeline.retention.RetentionEvent;
import dev.pulse.pipeline.retention.RetentionRow;
import dev.pulse.pipeline.types.RecordSerializer;
import dev.pulse.pipeline.types.GraphTypes;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The job of a plan with a Metric, a Funnel and a Retention builds with generic types disabled,
 * and no record of a funnel's or retention's operators uses Flink's POJO or Kryo serializer; a
 * graph that would is refused when it is built.
 */
class JobTypesTest {
    private static final PipelineSettings SETTINGS = new PipelineSettings(Path.of("plan.json"), "localhost:1",
            "jdbc:postgresql://localhost:1/none", null, null, false, 1000, 100, 500, "dead-letters", false);

    private static final java.util.Set<Class<?>> FUNNEL_AND_RETENTION = java.util.Set.of(FunnelEvent.class, AttemptUpdate.class,
            FunnelRow.class, RetentionEvent.class, MemberUpdate.class, RetentionRow.class);

    @Test
    void theJobOfAMetricAFunnelAndARetentionUsesHandWrittenSerializers() {
        PipelinePlan plan = TestPlans.compile(definitions("types", List.of("revenue"),
                FunnelRetentionTraffic.funnel("f", "ordered", "uniques", true), FunnelRetentionTraffic.retention("r", "unbounded")));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        PipelineJob.define(env, plan, SETTINGS);
        assertThat(env.getConfig().hasGenericTypesDisabled()).isTrue();
        StreamGraph graph = env.getStreamGraph(false);
        JobGraph job = graph.getJobGraph();
        assertThat(job.getNumberOfVertices()).isGreaterThan(3);
        int funnelAndRetention = 0;
        for (StreamNode node : graph.getStreamNodes()) {
            List<TypeSerializer<?>> serializers = new java.util.ArrayList<>(List.of(node.getTypeSerializersIn()));
            serializers.add(node.getTypeSerializerOut());
            for (TypeSerializer<?> s : serializers) {
                Object instance = s == null ? null : s.createInstance();
                if (instance != null && FUNNEL_AND_RETENTION.contains(instance.getClass())) {
                    funnelAndRetention++;
                    assertThat(s).as(node.getOperatorName()).isInstanceOf(RecordSerializer.class);
                }
            }
        }
        assertThat(funnelAndRetention).isGreaterThanOrEqualTo(8);
    }

    @Test
    void aGraphWithAFunnelEventOnThePojoSerializerIsRefused() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        FunnelEvent e = new FunnelEvent();
        e.actor = "a";
        env.fromData(TypeInformation.of(FunnelEvent.class), e).keyBy(x -> x.actor).map(x -> x.time).print();
        assertThatThrownBy(() -> GraphTypes.check(env.getStreamGraph(false)))
                .hasMessageContaining("POJO serializer for " + FunnelEvent.class.getName());
    }
}
