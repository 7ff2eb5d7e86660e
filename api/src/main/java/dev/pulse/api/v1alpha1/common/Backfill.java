package dev.pulse.api.v1alpha1.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import lombok.Data;
import lombok.NoArgsConstructor;

/** How much history a new version of an analysis is computed over before it serves. */
@Data
@NoArgsConstructor
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Backfill {
    /** Schema pattern of {@code from}: a keyword, a duration or an RFC 3339 time (checked fully by the compiler). */
    public static final String FROM_PATTERN = "^(earliest|none|[0-9]+(s|m|h|d)|[0-9]{4}-[0-9]{2}-[0-9]{2}T.+)$";

    @Pattern(FROM_PATTERN)
    @JsonPropertyDescription("Where a new version of the analysis starts counting: earliest (default: every record the topic still "
            + "retains), an RFC 3339 time (e.g. 2026-11-01T00:00:00Z) or a duration back from when the version was first applied "
            + "(e.g. 3d), both compared with event time, or none (only records that arrive after the change; windows that "
            + "overlap the change are never final). Only a new version is recomputed; changing this alone changes nothing.")
    private String from;
}
