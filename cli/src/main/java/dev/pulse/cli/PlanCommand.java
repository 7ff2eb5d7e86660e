package dev.pulse.cli;

import dev.pulse.api.compile.PlanCompiler;
import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.api.plan.PlanChanges;
import dev.pulse.api.validate.DefinitionValidator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pulse plan}: what applying definitions would change, per analysis and pipeline
 * ({@link PlanChanges}, the classification the operator uses). Offline against {@code --against};
 * otherwise against the running local stack, through {@link StackCommands}.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Shows what applying definitions would change, per analysis: Unchanged, New, NewVersion (which fields), "
                + "SettingsOnly (which settings; the job restarts with or without the state), Removed; where each new version's history "
                + "starts; and what each pipeline's job does.",
                "Compares offline with the definitions of --against; without it, with the running local stack (pulse local), adding the "
                        + "records each backfill reads; with neither, every analysis is New. Exit 1 with the validate output when "
                        + "definitions are invalid."})
final class PlanCommand implements Callable<Integer> {
    @Mixin
    Definitions definitions;

    @Option(names = "--against", split = ",", paramLabel = "<file-or-dir>",
            description = "Definitions applied now (files or directories, repeatable): compare offline with them.")
    List<Path> against = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine cmd = spec.commandLine();
        PrintWriter out = cmd.getOut();
        PrintWriter err = cmd.getErr();
        DefinitionValidator.Result after = definitions.validate(err);
        if (!after.isValid()) {
            return 1;
        }
        List<PipelinePlan> plans = after.compilation().plans();
        if (!against.isEmpty()) {
            DefinitionValidator.Result before = Definitions.validate(against, definitions.namespace, cmd, err);
            if (!before.isValid()) {
                return 1;
            }
            ChangeTable.print(PlanChanges.between(before.compilation().plans(), plans), null, out);
            return 0;
        }
        return StackCommands.run(cmd, stack -> {
            Optional<StackCommands.Running> running;
            try {
                running = stack.running(plans, err);
            } catch (IllegalStateException e) {
                err.println("pulse plan: " + e.getMessage());
                err.flush();
                return 1;
            }
            if (running.isEmpty()) {
                out.println("Nothing running to compare with (no local stack; clusters are not read yet): every analysis is New.");
                ChangeTable.print(PlanChanges.between(List.of(), plans), null, out);
                return 0;
            }
            // the stack's definitions, compiled as its operator compiles them (invalid ones run nothing)
            List<PipelinePlan> before = new PlanCompiler().compile(running.get().definitions()).plans();
            out.println("Compared with " + running.get().where() + ".");
            ChangeTable.print(PlanChanges.between(before, plans), running.get().recordsToRead(), out);
            return 0;
        });
    }
}
