package dev.pulse.api.compile;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.pulse.api.v1alpha1.eventstream.FieldType;
import java.util.Map;
import java.util.Optional;

/** Type-checks a filter's CEL expression against a stream's schema; the result must be a bool. */
public final class CelChecker {
    private CelChecker() {
    }

    /** The CEL type a schema field is declared with. */
    public static CelType celType(FieldType type) {
        return switch (type) {
            case STRING -> SimpleType.STRING;
            case LONG -> SimpleType.INT;
            case DOUBLE -> SimpleType.DOUBLE;
            case BOOLEAN -> SimpleType.BOOL;
        };
    }

    /** A compiler that knows every schema field as a variable and wants a bool. */
    public static CelCompiler compilerFor(Map<String, FieldType> fields) {
        CelCompilerBuilder builder = CelCompilerFactory.standardCelCompilerBuilder().setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS).setResultType(SimpleType.BOOL);
        fields.forEach((name, type) -> builder.addVar(name, celType(type)));
        return builder.build();
    }

    /** The type error of the expression, or empty when it is a valid bool expression. */
    public static Optional<String> check(String expression, Map<String, FieldType> fields) {
        try {
            compilerFor(fields).compile(expression).getAst();
            return Optional.empty();
        } catch (CelValidationException e) {
            return Optional.of(e.getMessage().replace('\n', ' ').replaceAll("\\s+", " ").trim());
        } catch (RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
