package dev.pulse.api.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Canonical JSON of plans: sorted properties, so the same plan is always the same bytes. */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private PlanJson() {
    }

    public static String write(Object plan) {
        try {
            return MAPPER.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize plan", e);
        }
    }

    public static PipelinePlan read(String json) {
        try {
            return MAPPER.readValue(json, PipelinePlan.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a PipelinePlan: " + e.getMessage(), e);
        }
    }

    /** Hex SHA-256 of the canonical JSON of the value. */
    public static String sha256(Object value) {
        return sha256(write(value));
    }

    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plan with its content hash computed over everything but the hash itself. */
    public static PipelinePlan sealed(PipelinePlan plan) {
        return plan.withHash(sha256(plan.withHash(null)));
    }
}
