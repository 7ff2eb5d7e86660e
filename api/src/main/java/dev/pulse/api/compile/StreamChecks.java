package dev.pulse.api.compile;

import dev.pulse.api.v1alpha1.common.Durations;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import dev.pulse.api.v1alpha1.eventstream.EventStreamSpec;
import dev.pulse.api.v1alpha1.eventstream.FieldSpec;
import dev.pulse.api.v1alpha1.eventstream.KafkaTopicSpec;
import java.time.Duration;
import dev.pulse.api.serving.TableLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Semantic checks of an EventStream. */
final class StreamChecks {
    private static final Pattern FIELD_NAME = Pattern.compile(FieldSpec.NAME_PATTERN);
    private static final Pattern TOPIC = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

    private StreamChecks() {
    }

    static void check(EventStream stream, Problems p) {
        EventStreamSpec spec = stream.getSpec();
        if (spec == null) {
            p.add("spec", "required");
            return;
        }
        KafkaTopicSpec kafka = spec.getKafka();
        if (kafka == null || kafka.getTopic() == null) {
            p.add("spec.kafka.topic", "required: the Kafka topic of the events");
        } else {
            if (!TOPIC.matcher(kafka.getTopic()).matches() || kafka.getTopic().equals(".") || kafka.getTopic().equals("..")) {
                p.add("spec.kafka.topic", "'" + kafka.getTopic() + "' is not a valid topic name: letters, digits, '.', '_' and '-', at most 249 characters");
            }
            if (kafka.getCluster() != null && !Names.isDnsLabel(kafka.getCluster())) {
                p.add("spec.kafka.cluster", "'" + kafka.getCluster() + "' is not a valid Strimzi cluster name (a DNS-1123 label)");
            }
            if (kafka.getPartitions() != null && (kafka.getPartitions() < 1 || kafka.getPartitions() > 1000)) {
                p.add("spec.kafka.partitions", "must be between 1 and 1000");
            }
            if (kafka.getReplicas() != null && (kafka.getReplicas() < 1 || kafka.getReplicas() > 10)) {
                p.add("spec.kafka.replicas", "must be between 1 and 10");
            }
            positive(kafka.getRetention(), "spec.kafka.retention", p);
        }
        fieldName(spec.getEventTypeField(), "spec.eventTypeField", p);
        fieldName(spec.getActorField(), "spec.actorField", p);
        if (spec.getTimestamp() == null) {
            p.add("spec.timestamp", "required: {field, format}");
        } else {
            fieldName(spec.getTimestamp().getField(), "spec.timestamp.field", p);
        }
        if (spec.getWatermark() != null) {
            duration(spec.getWatermark().getMaxOutOfOrderness(), "spec.watermark.maxOutOfOrderness", p);
            positive(spec.getWatermark().getIdleTimeout(), "spec.watermark.idleTimeout", p);
            duration(spec.getWatermark().getMaxFutureSkew(), "spec.watermark.maxFutureSkew", p);
        }
        if (spec.getLimits() != null) {
            atLeastOne(spec.getLimits().getMaxRecordBytes(), "spec.limits.maxRecordBytes", p);
            atLeastOne(spec.getLimits().getMaxValueLength(), "spec.limits.maxValueLength", p);
        }
        Set<String> builtIn = new HashSet<>();
        for (String f : new String[] {spec.getEventTypeField(), spec.getActorField(),
                spec.getTimestamp() == null ? null : spec.getTimestamp().getField()}) {
            if (f != null && !builtIn.add(f)) {
                p.add("spec", "eventTypeField, actorField and timestamp.field must be three different fields ('" + f + "' is used twice)");
            }
        }
        Set<String> names = new HashSet<>();
        if (spec.getFields() != null) {
            for (int i = 0; i < spec.getFields().size(); i++) {
                FieldSpec f = spec.getFields().get(i);
                String path = "spec.fields[" + i + "]";
                if (f == null) {
                    p.add(path, "must not be empty");
                    continue;
                }
                fieldName(f.getName(), path + ".name", p);
                if (f.getType() == null) {
                    p.add(path + ".type", "required: string, long, double or boolean");
                }
                if (f.getName() != null && (!names.add(f.getName()) || builtIn.contains(f.getName()))) {
                    p.add(path + ".name", "field '" + f.getName() + "' is declared twice (the event-type, actor and timestamp fields are declared by their own settings)");
                }
            }
        }
        columnCollisions(spec, p);
        if (spec.getPipeline() != null && spec.getPipeline().getParallelism() != null
                && (spec.getPipeline().getParallelism() < 1 || spec.getPipeline().getParallelism() > 256)) {
            p.add("spec.pipeline.parallelism", "must be between 1 and 256");
        }
        if (spec.getPipeline() != null && spec.getPipeline().getTemplate() != null && !Names.isDnsLabel(spec.getPipeline().getTemplate())) {
            p.add("spec.pipeline.template", "'" + spec.getPipeline().getTemplate() + "' is not a valid template name (a DNS-1123 label)");
        }
    }

    /**
     * Two fields whose serving columns would have the same name ({@link TableLayout#dimensionColumn}
     * lowercases: {@code userId} and {@code userid} are both {@code d_userid}) could not both be
     * dimensions of one table, so the stream is rejected naming both field paths.
     */
    private static void columnCollisions(EventStreamSpec spec, Problems p) {
        Map<String, String> pathByColumn = new HashMap<>();
        Map<String, String> nameByColumn = new HashMap<>();
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {spec.getEventTypeField(), "spec.eventTypeField"});
        fields.add(new String[] {spec.getActorField(), "spec.actorField"});
        fields.add(new String[] {spec.getTimestamp() == null ? null : spec.getTimestamp().getField(), "spec.timestamp.field"});
        if (spec.getFields() != null) {
            for (int i = 0; i < spec.getFields().size(); i++) {
                FieldSpec f = spec.getFields().get(i);
                fields.add(new String[] {f == null ? null : f.getName(), "spec.fields[" + i + "].name"});
            }
        }
        for (String[] f : fields) {
            if (f[0] == null || !FIELD_NAME.matcher(f[0]).matches()) {
                continue;
            }
            String column = TableLayout.dimensionColumn(f[0]);
            String previous = nameByColumn.putIfAbsent(column, f[0]);
            if (previous != null && !previous.equals(f[0])) {
                p.add(f[1], "field '" + f[0] + "' (" + f[1] + ") and field '" + previous + "' (" + pathByColumn.get(column)
                        + ") would both be stored in column " + column + " (column names are lowercase): rename one of them");
            } else {
                pathByColumn.putIfAbsent(column, f[1]);
            }
        }
    }

    private static void fieldName(String name, String path, Problems p) {
        if (name == null) {
            p.add(path, "required: a JSON property name");
        } else if (!FIELD_NAME.matcher(name).matches()) {
            p.add(path, "'" + name + "' is not a valid field name: a letter or '_' then letters, digits or '_', at most 63 characters");
        }
    }

    private static void atLeastOne(Integer value, String path, Problems p) {
        if (value != null && value < 1) {
            p.add(path, "must be at least 1, not " + value);
        }
    }

    /** A duration (zero allowed), or a problem. */
    static Duration duration(String text, String path, Problems p) {
        if (text == null) {
            return null;
        }
        Duration d = Durations.parse(text).orElse(null);
        if (d == null) {
            p.add(path, "'" + text + "' is not a duration: a whole number and a unit s, m, h or d (e.g. 30s, 5m, 1h, 7d)");
        }
        return d;
    }

    /** A duration that must be more than zero, or a problem. */
    static Duration positive(String text, String path, Problems p) {
        Duration d = duration(text, path, p);
        if (d != null && d.isZero()) {
            p.add(path, "must be more than zero (e.g. 30s, 5m, 1h, 7d)");
            return null;
        }
        return d;
    }

    static long millis(String text) {
        return Durations.parse(text).orElseThrow().toMillis();
    }
}
