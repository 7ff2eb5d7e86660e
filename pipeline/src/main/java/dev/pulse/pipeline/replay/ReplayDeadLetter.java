package dev.pulse.pipeline.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.pipeline.event.DeadLetter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.functions.MapFunction;

/**
 * A malformed line of a replay (docs/bad-events.md): the plan and stream that found it, the file
 * and line, the reason code and detail, and the line's text. Written as one JSON object per line,
 * in the job's work files and in {@code pulse replay --dead-letter}.
 */
public record ReplayDeadLetter(int plan, String stream, int file, long line, String reason, String detail, String record) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    /** The job's side: a dead letter of plan {@code plan} over {@code stream} as a work-file line. */
    static MapFunction<DeadLetter, String> lines(int plan, String stream) {
        return d -> new ReplayDeadLetter(plan, stream, d.source, d.position, d.reason.code(), d.detail,
                d.value == null ? "" : new String(d.value, StandardCharsets.UTF_8)).workLine();
    }

    String workLine() {
        return json(null);
    }

    static ReplayDeadLetter parse(String workLine) throws IOException {
        JsonNode n = READER.readTree(workLine);
        return new ReplayDeadLetter(n.path("plan").asInt(), n.path("stream").asText(), n.path("fileIndex").asInt(),
                n.path("line").asLong(), n.path("reason").asText(), n.path("detail").asText(), n.path("record").asText());
    }

    /**
     * The line of {@code pulse replay --dead-letter}:
     * {@code {"reason","detail","file","line","stream","record"}}, {@code record} the original line.
     */
    public String fileLine(String fileName) {
        return json(fileName);
    }

    private String json(String fileName) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", reason);
            g.writeStringField("detail", detail);
            if (fileName == null) {
                g.writeNumberField("plan", plan);
                g.writeNumberField("fileIndex", file);
            } else {
                g.writeStringField("file", fileName);
            }
            g.writeNumberField("line", line);
            g.writeStringField("stream", stream);
            g.writeStringField("record", record);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
