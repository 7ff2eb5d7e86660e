package dev.pulse.local;

import dev.pulse.api.plan.PipelinePlan;
import dev.pulse.cli.StackCommands;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * {@code pulse local}, {@code get}, {@code describe}, {@code token} and {@code plan} against the running stack:
 * the {@code pulse} command (cli/) parses them and finds this class on local's classpath.
 */
public final class LocalStackCommands implements StackCommands {
    @Override
    public int local(Local request) {
        Path home = Path.of(System.getProperty("pulse.home", ".")).toAbsolutePath().normalize();
        StackOptions options = StackOptions.of(home, request.definitions(), request.rate(), request.reset(), request.dataDir(), request.events());
        new DataDirectory(options.dataDir()).routeLibraryLogs();
        LocalStack stack = new LocalStack(options);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "pulse-local-shutdown"));
        return stack.run();
    }

    @Override
    public int get(Get request, PrintWriter out, PrintWriter err) {
        return printing(out, err, () -> ResourceTable.print(request, out, err));
    }

    @Override
    public int describe(Describe request, PrintWriter out, PrintWriter err) {
        return printing(out, err, () -> ResourceDescription.print(request, out, err));
    }

    @Override
    public int token(String namespace, PrintWriter out, PrintWriter err) {
        return printing(out, err, () -> {
            try {
                out.println(AccessKey.read(StackConnection.dataDir()).tokenForNamespace(namespace));
                return 0;
            } catch (IllegalStateException | java.io.IOException e) {
                err.println("pulse token: " + (e instanceof IllegalStateException ? e.getMessage() : "cannot read the stack's access key: " + e));
                return 1;
            }
        });
    }

    @Override
    public Optional<Running> running(List<PipelinePlan> after, PrintWriter err) {
        StackConnection.quiet();
        return RunningDefinitions.read(StackConnection.dataDir(), after, err, System.currentTimeMillis());
    }

    /** Runs {@code command} with the client libraries' logs down to errors, its output flushed at the end. */
    private static int printing(PrintWriter out, PrintWriter err, IntSupplier command) {
        StackConnection.quiet();
        try {
            return command.getAsInt();
        } finally {
            out.flush();
            err.flush();
        }
    }
}
