package dev.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code pulse plan -f <case>/after --against <case>/before}, one case per class of change, under
 * src/test/resources/plan/: each case's whole output (exit code, stdout, stderr) must be its
 * committed {@code expected.txt}; run with {@code -Dgolden.update=true} to rewrite them from the
 * code, then review the diff. Independently of the files, the CHANGE column must say what each
 * case was written to show.
 */
class PlanCommandTest {
    private static final Path CASES = Path.of("src/test/resources/plan");

    /** Per case, the ANALYSIS and CHANGE columns expected, in order. */
    private static final Map<String, List<String>> CLASSES = new LinkedHashMap<>();

    static {
        CLASSES.put("unchanged", List.of("Metric/orders Unchanged"));
        CLASSES.put("new", List.of("Metric/orders Unchanged", "Retention/buyers New"));
        CLASSES.put("new-version", List.of("Funnel/checkout NewVersion", "Metric/orders NewVersion"));
        CLASSES.put("new-version-stream", List.of("Funnel/checkout NewVersion", "Metric/orders NewVersion"));
        CLASSES.put("settings-only", List.of("Funnel/checkout Unchanged", "Metric/orders SettingsOnly"));
        CLASSES.put("settings-only-serving", List.of("Funnel/checkout Unchanged", "Metric/orders SettingsOnly"));
        CLASSES.put("settings-only-moved", List.of("Funnel/checkout Unchanged", "Metric/orders SettingsOnly"));
        CLASSES.put("removed", List.of("Funnel/checkout Removed", "Metric/orders Unchanged"));
        CLASSES.put("invalid", List.of());
    }

    static Stream<String> cases() {
        return CLASSES.keySet().stream();
    }

    private record Run(int exit, String out, String err) {
        String text() {
            return "exit " + exit + "\n" + out + (err.isEmpty() ? "" : "--- stderr\n" + err);
        }
    }

    private static Run plan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new Pulse()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** A side of a case: its own stream.yaml, or the shared one, plus its definitions. */
    private static String side(String name, String side) {
        Path dir = CASES.resolve(name).resolve(side);
        return (Files.exists(dir.resolve("stream.yaml")) ? "" : CASES.resolve("stream.yaml") + ",") + dir;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCasePrintsItsGoldenOutput(String name) throws IOException {
        Run run = plan("plan", "-f", side(name, "after"), "--against", side(name, "before"));
        Path expected = CASES.resolve(name).resolve("expected.txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, run.text());
        }
        assertThat(expected).as("%s (rewrite with ./mvnw -pl cli test -Dtest=PlanCommandTest -Dgolden.update=true)", expected).exists();
        assertThat(run.text()).as("output of case %s differs from %s", name, expected).isEqualTo(Files.readString(expected));
        assertThat(classes(run.out())).as("classes of %s", name).containsExactlyElementsOf(CLASSES.get(name));
    }

    /** The ANALYSIS and CHANGE columns of the analysis table (the rows before the first blank line). */
    private static List<String> classes(String out) {
        List<String> rows = new ArrayList<>();
        List<String> lines = out.lines().toList();
        for (int i = 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String[] cells = lines.get(i).trim().split("\\s{2,}");
            rows.add(cells[1] + " " + cells[2]);
        }
        return rows;
    }

    @Test
    void theDocsShowWhatTheCasesPrint() throws IOException {
        String doc = Files.readString(Path.of("../docs/changes.md"));
        for (String name : List.of("new-version", "settings-only-moved")) {
            String out = Files.readString(CASES.resolve(name).resolve("expected.txt")).replaceFirst("^exit 0\n", "");
            assertThat(doc).as("docs/changes.md shows the output of case %s (copy it from its expected.txt)", name).contains("```text\n" + out + "```");
        }
    }

    @Test
    void invalidDefinitionsPrintTheValidateProblemsAndExitOne() {
        Run run = plan("plan", "-f", side("invalid", "after"), "--against", side("invalid", "before"));
        Run validate = plan("validate", "-f", side("invalid", "after"));
        assertThat(run.exit()).isEqualTo(1).isEqualTo(validate.exit());
        assertThat(run.err()).isEqualTo(validate.err()).contains("Metric/orders: spec.dimensions[0]: the stream has no field 'colour'");
        assertThat(run.out()).isEmpty();
        // the definitions compared with are checked the same way
        Run against = plan("plan", "-f", side("invalid", "before"), "--against", side("invalid", "after"));
        assertThat(against.exit()).isEqualTo(1);
        assertThat(against.err()).isEqualTo(validate.err());
    }

    @Test
    void withoutAgainstItNeedsTheLocalModule() {
        // on this module's classpath there is no local module: the pulse script runs plan with its classpath
        Run run = plan("plan", "-f", side("new", "after"));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("pulse plan: runs with the local module's classpath");
    }
}
