package dev.pulse.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.pulse.api.serving.Catalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An answer as CSV ({@code Accept: text/csv}): a header, then one line per row of the JSON answer
 * (RFC 4180 quoting, by Jackson's CSV writer). Columns: the JSON fields in order, one column per
 * grouped dimension (its name; {@code dimension <name>} when that is also a fixed column's), a
 * funnel's steps as {@code <step> count|conversionFromFirst|conversionFromPrevious}, a cohort's
 * periods as {@code period <k>}; a metric breakdown's {@code other} points follow its series with
 * {@code other} true and empty dimensions. Null is an empty field. The next page's cursor is in the
 * {@code X-Pulse-Next} header.
 */
final class CsvAnswers {
    private static final CsvMapper CSV = new CsvMapper();

    private CsvAnswers() {
    }

    static byte[] encode(Object answer, Catalog.Entry e, List<String> dimensions) {
        List<String> header = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        if (answer instanceof Answers.Points p) {
            header.addAll(List.of("other", "windowStart", "windowEnd"));
            List<String> fixed = List.of("other", "windowStart", "windowEnd", "value", "numerator", "denominator", "final");
            dimensionColumns(header, dimensions, fixed);
            header.addAll(List.of("value", "numerator", "denominator", "final"));
            for (Answers.Point pt : p.points()) {
                rows.add(row(List.of(false, pt.windowStart(), pt.windowEnd()), pt.dimensions(), dimensions,
                        pt.value(), pt.numerator(), pt.denominator(), pt.isFinal()));
            }
            for (Answers.Point pt : p.other() == null ? List.<Answers.Point>of() : p.other()) {
                rows.add(row(List.of(true, pt.windowStart(), pt.windowEnd()), Map.of(), dimensions,
                        pt.value(), pt.numerator(), pt.denominator(), pt.isFinal()));
            }
        } else if (answer instanceof Answers.FunnelRows f) {
            List<String> steps = e.plan().funnel().steps().stream().map(s -> s.name()).toList();
            List<String> fixed = new ArrayList<>(List.of("windowStart", "windowEnd", "medianConversionMs", "final"));
            for (String s : steps) {
                fixed.addAll(List.of(s + " count", s + " conversionFromFirst", s + " conversionFromPrevious"));
            }
            header.addAll(List.of("windowStart", "windowEnd"));
            dimensionColumns(header, dimensions, fixed);
            for (String s : steps) {
                header.addAll(List.of(s + " count", s + " conversionFromFirst", s + " conversionFromPrevious"));
            }
            header.addAll(List.of("medianConversionMs", "final"));
            for (Answers.FunnelRow r : f.rows()) {
                List<Object> values = new ArrayList<>();
                for (Answers.Step s : r.steps()) {
                    values.addAll(java.util.Arrays.asList(s.count(), s.conversionFromFirst(), s.conversionFromPrevious()));
                }
                values.add(r.medianConversionMs());
                values.add(r.isFinal());
                rows.add(row(List.of(r.windowStart(), r.windowEnd()), r.dimensions(), dimensions, values.toArray()));
            }
        } else if (answer instanceof Answers.Cohorts c) {
            int periods = e.plan().retention().periods();
            List<String> fixed = new ArrayList<>(List.of("cohortStart", "cohortSize", "final"));
            for (int k = 1; k <= periods; k++) {
                fixed.add("period " + k);
            }
            header.add("cohortStart");
            dimensionColumns(header, dimensions, fixed);
            header.add("cohortSize");
            header.addAll(fixed.subList(3, fixed.size()));
            header.add("final");
            for (Answers.Cohort r : c.cohorts()) {
                List<Object> values = new ArrayList<>();
                values.add(r.cohortSize());
                values.addAll(r.retained());
                values.add(r.isFinal());
                rows.add(row(List.of(r.cohortStart()), r.dimensions(), dimensions, values.toArray()));
            }
        } else if (answer instanceof Answers.Anomalies a) {
            List<String> fixed = List.of("windowStart", "windowEnd", "observed", "expected", "lower", "upper", "score");
            header.addAll(List.of("windowStart", "windowEnd"));
            dimensionColumns(header, dimensions, fixed);
            header.addAll(fixed.subList(2, fixed.size()));
            for (Answers.Anomaly r : a.anomalies()) {
                rows.add(row(List.of(r.windowStart(), r.windowEnd()), r.dimensions(), dimensions,
                        r.observed(), r.expected(), r.lower(), r.upper(), r.score()));
            }
        } else {
            throw new IllegalArgumentException("no CSV form of " + answer.getClass());
        }
        CsvSchema.Builder schema = CsvSchema.builder();
        header.forEach(schema::addColumn);
        try {
            return CSV.writer(schema.build().withHeader()).writeValueAsBytes(rows);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("an answer did not encode as CSV", ex);
        }
    }

    private static void dimensionColumns(List<String> header, List<String> dimensions, List<String> fixed) {
        for (String d : dimensions) {
            header.add(fixed.contains(d) ? "dimension " + d : d);
        }
    }

    private static Object[] row(List<Object> first, Map<String, String> values, List<String> dimensions, Object... rest) {
        List<Object> out = new ArrayList<>(first);
        for (String d : dimensions) {
            out.add(values.get(d));
        }
        out.addAll(java.util.Arrays.asList(rest));
        return out.toArray();
    }
}
