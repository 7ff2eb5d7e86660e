package dev.pulse.api.validate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pulse.api.compile.Compilation;
import dev.pulse.api.compile.Names;
import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.compile.Problem;
import dev.pulse.api.plan.AnalysisKind;
import dev.pulse.api.v1alpha1.eventstream.EventStream;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates definitions the way the cluster and the operator together would: the CRD schema
 * (with its CEL rules), then the compiler's semantic checks across all resources.
 */
public final class DefinitionValidator {
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final SchemaValidator schema = new SchemaValidator();

    /**
     * The result of validating documents.
     *
     * @param resources the documents that passed the schema, as typed resources
     * @param compilation what the compiler made of them
     * @param findings every problem, schema and semantic, with its file
     */
    public record Result(List<HasMetadata> resources, Compilation compilation, List<Finding> findings) {
        public boolean isValid() {
            return findings.isEmpty();
        }

        /** The same result with problems found before validation (files that could not be read) listed first. */
        public Result after(List<Finding> earlier) {
            if (earlier.isEmpty()) {
                return this;
            }
            List<Finding> all = new ArrayList<>(earlier);
            all.addAll(findings);
            return new Result(resources, compilation, List.copyOf(all));
        }
    }

    public Result validate(List<LoadedDocument> documents) {
        List<Finding> findings = new ArrayList<>();
        List<HasMetadata> resources = new ArrayList<>();
        Map<String, LoadedDocument> documentOf = new HashMap<>();
        Set<String> invalidStreams = new HashSet<>();
        for (LoadedDocument doc : documents) {
            if (doc.kind() == null || !SchemaValidator.knows(doc.kind())) {
                findings.add(doc.finding("kind", "unknown kind '" + doc.kind() + "'; valid kinds: EventStream, Metric, Funnel, Retention"));
                continue;
            }
            String apiVersion = doc.body().path("apiVersion").asText();
            if (!DefinitionFiles.API_VERSION.equals(apiVersion)) {
                findings.add(doc.finding("apiVersion", "'" + apiVersion + "' is not served; use " + DefinitionFiles.API_VERSION));
                continue;
            }
            if (doc.name() == null) {
                findings.add(doc.finding("metadata.name", "required: a DNS-1123 label"));
                continue;
            }
            List<Finding> own = new ArrayList<>();
            if (!Names.isDnsLabel(doc.name())) {
                own.add(doc.finding("metadata.name", "'" + doc.name()
                        + "' is not a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"));
            }
            if (!Names.isDnsLabel(doc.namespace())) {
                own.add(doc.finding("metadata.namespace", "'" + doc.namespace() + "' is not a valid namespace (a DNS-1123 label)"));
            }
            for (String[] p : schema.validate(doc.kind(), doc.body())) {
                own.add(doc.finding(p[0], p[1]));
            }
            if (!own.isEmpty()) {
                findings.addAll(own);
                if ("EventStream".equals(doc.kind())) {
                    invalidStreams.add(doc.namespace() + "/" + doc.name());
                }
                continue;
            }
            HasMetadata typed = MAPPER.convertValue(doc.body(), typeOf(doc.kind()));
            resources.add(typed);
            documentOf.putIfAbsent(key(doc.kind(), doc.namespace(), doc.name()), doc);
        }
        Compilation compilation = new PlanCompiler().compile(resources);
        for (Problem p : compilation.problems()) {
            String kind = p.resource().substring(0, p.resource().indexOf('/'));
            String name = p.resource().substring(p.resource().indexOf('/') + 1);
            String message = p.message();
            if (p.field().equals("spec.stream")) {
                String stream = streamOf(resources, kind, p.namespace(), name);
                if (invalidStreams.contains(p.namespace() + "/" + stream)) {
                    message = "EventStream '" + stream + "' in namespace '" + p.namespace() + "' is itself invalid";
                }
            }
            LoadedDocument doc = documentOf.get(key(kind, p.namespace(), name));
            findings.add(doc != null ? doc.finding(p.field(), message) : new Finding("?", YamlPositions.Position.UNKNOWN, p.resource(), p.field(), message));
        }
        return new Result(List.copyOf(resources), compilation, List.copyOf(findings));
    }

    private static String streamOf(List<HasMetadata> resources, String kind, String ns, String name) {
        return resources.stream()
                .filter(r -> r.getKind().equals(kind) && r.getMetadata().getName().equals(name) && ns.equals(r.getMetadata().getNamespace()))
                .filter(r -> !(r instanceof EventStream))
                .findFirst().map(PlanCompiler::streamOf).orElse(null);
    }

    private static String key(String kind, String ns, String name) {
        return kind + "/" + ns + "/" + name;
    }

    /** The Java type of a Pulse kind. */
    public static Class<? extends HasMetadata> typeOf(String kind) {
        return "EventStream".equals(kind) ? EventStream.class : AnalysisKind.named(kind).resourceClass();
    }
}
