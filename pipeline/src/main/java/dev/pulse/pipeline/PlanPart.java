package dev.pulse.pipeline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A part of a plan (an AnalysisPlan, a FilterPlan, ...) carried inside a Flink function. The
 * plan records are not {@link Serializable}, so the function holds their JSON and reads it back
 * once per task.
 */
public final class PlanPart<T> implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final Class<T> type;
    private final String json;
    private transient T value;

    private PlanPart(Class<T> type, String json, T value) {
        this.type = type;
        this.json = json;
        this.value = value;
    }

    @SuppressWarnings("unchecked")
    public static <T> PlanPart<T> of(T value) {
        try {
            return new PlanPart<>((Class<T>) value.getClass(), MAPPER.writeValueAsString(value), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public T get() {
        if (value == null) {
            try {
                value = MAPPER.readValue(json, type);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + type.getSimpleName() + " back: " + e.getMessage(), e);
            }
        }
        return value;
    }
}
