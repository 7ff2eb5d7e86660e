package dev.pulse.pipeline.event;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSON Lines file (one event per line, blank lines skipped) into {@link Event}s, keeping
 * each line's number so a malformed line can be reported where it is. Not splittable: one
 * reader per file, so line numbers are exact.
 */
public final class JsonLinesFormat extends SimpleStreamFormat<Event> {
    private static final long serialVersionUID = 1L;
    private final EventLayout layout;
    private final int fileIndex;
    private final long referenceTime;

    /**
     * @param referenceTime the reference of {@code future-time} for every line: in a replay, the wall
     *        clock when it started (docs/bad-events.md)
     */
    public JsonLinesFormat(EventLayout layout, int fileIndex, long referenceTime) {
        this.layout = layout;
        this.fileIndex = fileIndex;
        this.referenceTime = referenceTime;
    }

    @Override
    public StreamFormat.Reader<Event> createReader(Configuration config, FSDataInputStream stream) {
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        EventParser parser = new EventParser(layout);
        return new StreamFormat.Reader<>() {
            private long lineNumber;

            @Override
            public Event read() throws IOException {
                String line;
                while ((line = lines.readLine()) != null) {
                    lineNumber++;
                    if (!line.isBlank()) {
                        Event e = parser.parse(line.getBytes(StandardCharsets.UTF_8), referenceTime);
                        e.source = fileIndex;
                        e.position = lineNumber;
                        return e;
                    }
                }
                return null;
            }

            @Override
            public void close() throws IOException {
                lines.close();
            }
        };
    }

    @Override
    public TypeInformation<Event> getProducedType() {
        return TypeInformation.of(Event.class);
    }
}
