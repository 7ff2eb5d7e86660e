package dev.pulse.api.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code valid-*.yaml} in src/test/resources/validation passes, together with
 * {@code _stream.yaml}; every {@code invalid-*.yaml} fails with a problem on the field its first
 * line names ({@code # expect: <field path>[ | <message part>]}).
 */
class ValidationCasesTest {
    private static final Path DIR = Path.of("src/test/resources/validation");
    private static final Path STREAM = DIR.resolve("_stream.yaml");

    static Stream<Path> validCases() throws IOException {
        return cases("valid-");
    }

    static Stream<Path> invalidCases() throws IOException {
        return cases("invalid-");
    }

    private static Stream<Path> cases(String prefix) throws IOException {
        List<Path> list;
        try (Stream<Path> s = Files.list(DIR)) {
            list = s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
        return list.stream();
    }

    private static DefinitionValidator.Result validate(Path file) throws IOException {
        List<Finding> unreadable = new ArrayList<>();
        List<LoadedDocument> docs = DefinitionFiles.load(List.of(STREAM, file), "default", unreadable);
        assertThat(unreadable).isEmpty();
        return new DefinitionValidator().validate(docs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCases")
    void validDefinitionsPass(Path file) throws IOException {
        DefinitionValidator.Result result = validate(file);
        assertThat(result.findings()).isEmpty();
        assertThat(result.compilation().plans()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCases")
    void invalidDefinitionsFailOnTheirField(Path file) throws IOException {
        String header = Files.readAllLines(file).get(0);
        assertThat(header).startsWith("# expect: ");
        String[] expect = header.substring("# expect: ".length()).split(" \\| ");
        DefinitionValidator.Result result = validate(file);
        assertThat(result.isValid()).isFalse();
        assertThat(result.findings())
                .as("findings of %s", file)
                .allSatisfy(f -> assertThat(f.file()).isEqualTo(file.toString()))
                .anySatisfy(f -> {
                    assertThat(f.field()).isEqualTo(expect[0]);
                    assertThat(f.message()).isNotBlank();
                    if (expect.length > 1) {
                        assertThat(f.message()).contains(expect[1]);
                    }
                    assertThat(f.toString()).isEqualTo(file + ":" + f.line() + ":" + f.column() + ": " + f.resource() + ": " + f.field() + ": " + f.message());
                    assertPointsAtField(file, f);
                });
        // An invalid definition never becomes part of a plan.
        result.compilation().plans().forEach(plan -> assertThat(plan.analyses()).isEmpty());
    }

    /**
     * The finding's line and column are where the file holds its field: the text there is the
     * field's key, or, for a list item, the item, or, for a missing field, the key of the mapping
     * that lacks it.
     */
    static void assertPointsAtField(Path file, Finding f) throws IOException {
        assertThat(f.line()).as("line of %s", f).isPositive();
        String line = Files.readAllLines(file).get(f.line() - 1);
        assertThat(f.column()).as("column of %s", f).isBetween(1, line.length());
        String at = line.substring(f.column() - 1);
        String field = f.field();
        String last = field.substring(Math.max(field.lastIndexOf('.'), field.lastIndexOf('[')) + 1);
        if (last.endsWith("]")) {
            assertThat(at).as("item at %s", f).isNotBlank();
        } else {
            java.util.List<String> keys = java.util.Arrays.stream(field.split("[.\\[]")).filter(k -> !k.endsWith("]")).toList();
            assertThat(keys).as("key at %s:%s:%s is one of the path's (%s)", file, f.line(), f.column(), at)
                    .anySatisfy(k -> assertThat(at).startsWith(k + ":"));
        }
    }
}
