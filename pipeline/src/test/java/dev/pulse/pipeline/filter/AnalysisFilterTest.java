package dev.pulse.pipeline.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.ConditionPlan;
import dev.pulse.api.plan.FilterPlan;
import dev.pulse.api.v1alpha1.common.Operator;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.EventParser;
import dev.pulse.pipeline.event.EventParserTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisFilterTest {
    private final EventLayout layout = new EventLayout(EventParserTest.stream("epochMillis"));
    private final EventParser parser = new EventParser(layout);
    private final Event full = parse("{\"event\":\"purchase\",\"ts\":1,\"amount\":150.5,\"platform\":\"ios\",\"premium\":true,\"quantity\":2}");
    private final Event bare = parse("{\"event\":\"purchase\",\"ts\":1}");

    private Event parse(String json) {
        return parser.parse(json.getBytes(StandardCharsets.UTF_8), EventParser.NO_REFERENCE);
    }

    private boolean where(String field, FieldType type, Operator op, String... values) {
        return test(new FilterPlan(List.of(), List.of(new ConditionPlan(field, type, op, List.of(values))), null), full);
    }

    private boolean whereOnMissing(String field, FieldType type, Operator op, String... values) {
        return test(new FilterPlan(List.of(), List.of(new ConditionPlan(field, type, op, List.of(values))), null), bare);
    }

    private boolean test(FilterPlan plan, Event e) {
        return new AnalysisFilter(plan, layout).open().test(e);
    }

    private boolean cel(String expression, Event e) {
        return test(new FilterPlan(List.of(), List.of(), expression), e);
    }

    @Test
    void eventsAreAnyOf() {
        assertThat(test(new FilterPlan(List.of("view", "purchase"), List.of(), null), full)).isTrue();
        assertThat(test(new FilterPlan(List.of("view"), List.of(), null), full)).isFalse();
        assertThat(test(FilterPlan.ALL, bare)).isTrue();
    }

    @Test
    void whereComparesByTheFieldsType() {
        assertThat(where("amount", FieldType.DOUBLE, Operator.Gt, "100")).isTrue();
        assertThat(where("amount", FieldType.DOUBLE, Operator.Lte, "150.5")).isTrue();
        assertThat(where("amount", FieldType.DOUBLE, Operator.Lt, "150.5")).isFalse();
        assertThat(where("quantity", FieldType.LONG, Operator.Gte, "2")).isTrue();
        assertThat(where("quantity", FieldType.LONG, Operator.In, "1", "3")).isFalse();
        assertThat(where("platform", FieldType.STRING, Operator.In, "android", "ios")).isTrue();
        assertThat(where("platform", FieldType.STRING, Operator.Ne, "ios")).isFalse();
        assertThat(where("premium", FieldType.BOOLEAN, Operator.Eq, "true")).isTrue();
        assertThat(where("event", FieldType.STRING, Operator.Eq, "purchase")).isTrue();
        assertThat(where("ts", FieldType.LONG, Operator.Lt, "2")).isTrue();
    }

    @Test
    void aMissingFieldBehavesLikeALabelSelector() {
        for (Operator op : List.of(Operator.In, Operator.Eq, Operator.Gt, Operator.Gte, Operator.Lt, Operator.Lte)) {
            assertThat(whereOnMissing("amount", FieldType.DOUBLE, op, "1")).as(op.name()).isFalse();
        }
        assertThat(whereOnMissing("amount", FieldType.DOUBLE, Operator.Exists)).isFalse();
        assertThat(whereOnMissing("amount", FieldType.DOUBLE, Operator.NotIn, "1")).isTrue();
        assertThat(whereOnMissing("platform", FieldType.STRING, Operator.Ne, "ios")).isTrue();
        assertThat(whereOnMissing("premium", FieldType.BOOLEAN, Operator.DoesNotExist)).isTrue();
    }

    @Test
    void celErrorsDoNotPassButAndOrAbsorbThem() {
        assertThat(cel("platform != 'web' && amount > 100.0", full)).isTrue();
        assertThat(cel("platform != 'web'", bare)).as("missing field: error").isFalse();
        assertThat(cel("!(platform == 'web')", bare)).as("negated error is still an error").isFalse();
        assertThat(cel("false && platform == 'ios'", bare)).isFalse();
        assertThat(cel("true || platform == 'ios'", bare)).isTrue();
        assertThat(cel("platform == 'ios' || quantity > 1", parse("{\"ts\":1,\"quantity\":2}"))).isTrue();
        assertThat(cel("quantity > 1 || platform == 'ios'", parse("{\"ts\":1,\"platform\":\"ios\"}"))).isTrue();
        assertThat(cel("quantity > 1 && platform == 'ios'", parse("{\"ts\":1,\"quantity\":0}"))).isFalse();
        assertThat(cel("premium && quantity == 2", full)).isTrue();
        assertThat(cel("ts < 10", full)).isTrue();
    }
}
