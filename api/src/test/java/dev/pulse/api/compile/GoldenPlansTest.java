package dev.pulse.api.compile;

import static dev.pulse.api.compile.Fixtures.FUNNEL;
import static dev.pulse.api.compile.Fixtures.ORDERS;
import static dev.pulse.api.compile.Fixtures.RETENTION;
import static dev.pulse.api.compile.Fixtures.STREAM;
import static dev.pulse.api.compile.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanJson;
import dev.pulse.api.validate.DefinitionFiles;
import dev.pulse.api.validate.DefinitionValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan JSON is the contract with running pipelines (analysis ids, table names and the plan hash
 * come from it), so every definition set the repository carries must compile to exactly the bytes
 * committed under src/test/resources/golden-plans/&lt;case&gt;/&lt;namespace&gt;.&lt;pipeline&gt;.json: the
 * samples, the operator's rendering inputs, the valid validation cases and the compiler fixtures.
 * Run with {@code -Dgolden.update=true} to rewrite the files from the code, then review the diff.
 */
class GoldenPlansTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden-plans");
    private static final Path VALIDATION = Path.of("src/test/resources/validation");

    /** Definition files per case: each case is compiled on its own, in namespace "default" where none is named. */
    static Stream<String> cases() throws IOException {
        return fileCases().keySet().stream();
    }

    private static Map<String, List<Path>> fileCases() throws IOException {
        Map<String, List<Path>> cases = new TreeMap<>();
        cases.put("samples", DefinitionFiles.yamlFiles(List.of(Path.of("../samples"))));
        cases.put("operator-golden-shop", List.of(Path.of("../operator/src/test/resources/golden/in-shop.yaml")));
        cases.put("operator-golden-external-suspended", List.of(Path.of("../operator/src/test/resources/golden/in-external-suspended.yaml")));
        cases.put("operator-drift-orders", List.of(Path.of("../operator/src/test/resources/drift/orders.yaml")));
        try (Stream<Path> s = Files.list(VALIDATION)) {
            s.filter(p -> p.getFileName().toString().startsWith("valid-")).sorted().forEach(p ->
                    cases.put("validation-" + p.getFileName().toString().replace(".yaml", ""), List.of(VALIDATION.resolve("_stream.yaml"), p)));
        }
        return cases;
    }

    /** The compiler fixtures (PlanCompilerTest), as resources in memory. */
    static Stream<String> fixtureCases() {
        return fixtures().keySet().stream();
    }

    private static Map<String, String[]> fixtures() {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("fixtures-shop", new String[] {STREAM, ORDERS, FUNNEL, RETENTION});
        cases.put("fixtures-dedicated", new String[] {STREAM, ORDERS + "  pipeline: {isolation: dedicated}\n", FUNNEL});
        cases.put("fixtures-rollups", new String[] {STREAM, ORDERS + "  serving: {rollups: [1h, 1d]}\n"});
        cases.put("fixtures-expression", new String[] {STREAM, ORDERS + "  expression: \"platform != 'web' && amount > 10.0\"\n"});
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void definitionFilesCompileToTheGoldenPlans(String name) throws IOException {
        List<dev.pulse.api.validate.Finding> unreadable = new ArrayList<>();
        DefinitionValidator.Result result = new DefinitionValidator()
                .validate(DefinitionFiles.load(fileCases().get(name), "default", unreadable));
        assertThat(unreadable).isEmpty();
        assertThat(result.findings()).as("findings of %s", name).isEmpty();
        compare(name, result.compilation().plans());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureCases")
    void fixturesCompileToTheGoldenPlans(String name) throws IOException {
        Compilation c = new PlanCompiler().compile(load(fixtures().get(name)));
        assertThat(c.problems()).as("problems of %s", name).isEmpty();
        compare(name, c.plans());
    }

    private static void compare(String name, List<PipelinePlan> plans) throws IOException {
        assertThat(plans).as("plans of %s", name).isNotEmpty();
        Path dir = GOLDEN.resolve(name);
        Map<String, String> actual = new TreeMap<>();
        for (PipelinePlan plan : plans) {
            actual.put(plan.stream().namespace() + "." + plan.pipeline() + ".json", PlanJson.write(plan));
        }
        if (Boolean.getBoolean("golden.update")) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> old = Files.list(dir)) {
                    for (Path p : old.toList()) {
                        Files.delete(p);
                    }
                }
            }
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : actual.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        }
        List<String> committed;
        try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            committed = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(committed).as("golden plan files of %s (run ./mvnw -pl api test -Dgolden.update=true)", name)
                .containsExactlyElementsOf(actual.keySet());
        for (Map.Entry<String, String> e : actual.entrySet()) {
            assertThat(Files.readString(dir.resolve(e.getKey())))
                    .as("%s/%s differs from the compiled plan: run ./mvnw -pl api test -Dgolden.update=true and review", name, e.getKey())
                    .isEqualTo(e.getValue());
        }
    }
}
