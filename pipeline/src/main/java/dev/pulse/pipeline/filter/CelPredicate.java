package dev.pulse.pipeline.filter;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.compiler.CelCompiler;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelVariableResolver;
import dev.pulse.api.compile.CelChecker;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import dev.pulse.pipeline.event.Event;
import dev.pulse.pipeline.event.EventLayout;
import dev.pulse.pipeline.event.FieldRef;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A filter's CEL expression, compiled once per task against the plan's fields. A missing field
 * is an unbound variable, so an expression that needs it errors, and an erroring expression does
 * not pass the event; CEL's own {@code &&} and {@code ||} absorb errors as usual
 * ({@code false && error = false}, {@code true || error = true}). Not thread-safe.
 */
final class CelPredicate {
    private final CelRuntime.Program program;
    private final Map<String, FieldRef> fields;
    private final CelVariableResolver resolver;
    private Event current;

    CelPredicate(String expression, EventLayout layout) {
        Map<String, FieldType> types = new HashMap<>();
        layout.fields().forEach((name, ref) -> types.put(name, fieldType(ref)));
        CelCompiler compiler = CelChecker.compilerFor(types);
        try {
            CelAbstractSyntaxTree ast = compiler.compile(expression).getAst();
            program = CelRuntimeFactory.standardCelRuntimeBuilder().build().createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("CEL expression '" + expression + "' does not compile: " + e.getMessage(), e);
        }
        fields = new HashMap<>(layout.fields());
        resolver = this::resolve;
    }

    boolean test(Event e) {
        current = e;
        try {
            return Boolean.TRUE.equals(program.eval(resolver));
        } catch (CelEvaluationException | RuntimeException ex) {
            return false;
        } finally {
            current = null;
        }
    }

    private Optional<Object> resolve(String name) {
        FieldRef ref = fields.get(name);
        return ref == null ? Optional.empty() : Optional.ofNullable(ref.celValue(current));
    }

    private static FieldType fieldType(FieldRef ref) {
        return switch (ref.kind()) {
            case LONG -> FieldType.LONG;
            case DOUBLE -> FieldType.DOUBLE;
            case BOOLEAN -> FieldType.BOOLEAN;
            case TIMESTAMP -> ref.isNumeric() ? FieldType.LONG : FieldType.STRING;
            default -> FieldType.STRING;
        };
    }
}
