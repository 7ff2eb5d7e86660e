package dev.pulse.pipeline.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.ConditionPlan;
import dev.pulse.api.plan.FilterPlan;
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
        return parser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private boolean where(String field, String type, String op, String... values) {
        return test(new FilterPlan(List.of(), List.of(new ConditionPlan(field, type, op, List.of(values))), null), full);
    }

    private boolean whereOnMissing(String field, String type, String op, String... values) {
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
        assertThat(where("amount", "double", "Gt", "100")).isTrue();
        assertThat(where("amount", "double", "Lte", "150.5")).isTrue();
        assertThat(where("amount", "double", "Lt", "150.5")).isFalse();
        assertThat(where("quantity", "long", "Gte", "2")).isTrue();
        assertThat(where("quantity", "long", "In", "1", "3")).isFalse();
        assertThat(where("platform", "string", "In", "android", "ios")).isTrue();
        assertThat(where("platform", "string", "Ne", "ios")).isFalse();
        assertThat(where("premium", "boolean", "Eq", "true")).isTrue();
        assertThat(where("event", "string", "Eq", "purchase")).isTrue();
        assertThat(where("ts", "long", "Lt", "2")).isTrue();
    }

    @Test
    void aMissingFieldBehavesLikeALabelSelector() {
        for (String op : List.of("In", "Eq", "Gt", "Gte", "Lt", "Lte")) {
            assertThat(whereOnMissing("amount", "double", op, "1")).as(op).isFalse();
        }
        assertThat(whereOnMissing("amount", "double", "Exists")).isFalse();
        assertThat(whereOnMissing("amount", "double", "NotIn", "1")).isTrue();
        assertThat(whereOnMissing("platform", "string", "Ne", "ios")).isTrue();
        assertThat(whereOnMissing("premium", "boolean", "DoesNotExist")).isTrue();
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
