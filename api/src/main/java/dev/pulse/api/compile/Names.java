package dev.pulse.api.compile;

import dev.pulse.api.plan.PlanJson;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/** Naming rules: Kubernetes names and the PostgreSQL identifiers derived from them. */
public final class Names {
    /** A DNS-1123 label: it becomes label values, object names and database identifiers. */
    public static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    /** Event-type names: letters, digits, '_', '.', ':' and single '-' (never "--", quotes or ';'). */
    public static final Pattern EVENT_TYPE = Pattern.compile("^[A-Za-z0-9_.:]+(-[A-Za-z0-9_.:]+)*$");
    public static final int MAX_IDENTIFIER_BYTES = 63;

    private Names() {
    }

    public static boolean isDnsLabel(String name) {
        return name != null && DNS_LABEL.matcher(name).matches();
    }

    /**
     * A PostgreSQL identifier from parts: lowercase, '-' as '_', and when longer than 63 bytes,
     * cut and suffixed with a hash of the whole so distinct inputs stay distinct.
     */
    public static String identifier(String... parts) {
        String joined = String.join("_", parts).toLowerCase(Locale.ROOT).replace('-', '_');
        if (joined.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER_BYTES) {
            return joined;
        }
        String hash = PlanJson.sha256(joined).substring(0, 10);
        return joined.substring(0, MAX_IDENTIFIER_BYTES - hash.length() - 1) + "_" + hash;
    }

    /** The PostgreSQL schema that holds every serving table of one namespace's analyses. */
    public static String namespaceSchema(String namespace) {
        return identifier("pulse", namespace);
    }

    /** A Kubernetes object name of at most 63 characters from parts, hashed when too long. */
    public static String objectName(String... parts) {
        String joined = String.join("-", parts);
        if (joined.length() <= 63) {
            return joined;
        }
        String hash = PlanJson.sha256(joined).substring(0, 10);
        String head = joined.substring(0, 63 - hash.length() - 1);
        while (head.endsWith("-")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + hash;
    }

    /** Whether a string value taken from a resource is free of SQL-comment and quoting characters. */
    public static boolean isSafeValue(String value) {
        return value != null && !value.contains("'") && !value.contains("\"") && !value.contains(";")
                && !value.contains("--") && !value.contains("\\") && value.chars().noneMatch(Character::isISOControl);
    }
}
