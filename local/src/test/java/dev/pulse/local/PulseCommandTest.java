package dev.pulse.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pulse.cli.Pulse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The {@code pulse} command on local's classpath (what the script runs for local, get and
 * describe): the whole tree loads without the engines of validate, compile and replay, and the
 * local commands parse their arguments and reach this module.
 */
class PulseCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine pulse = new CommandLine(new Pulse()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

    @TempDir
    Path dataDir;

    @AfterEach
    void forgetDataDir() {
        System.clearProperty("pulse.data");
    }

    @Test
    void theHelpListsEveryCommand() {
        assertThat(pulse.execute("--help")).isZero();
        assertThat(out.toString()).contains("validate", "compile", "replay", "local", "get", "describe", "token");
    }

    @Test
    void localTakesItsOptions() {
        assertThat(pulse.execute("local", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: pulse local", "-f, --filename=DIR", "--rate=N", "--reset", "--data-dir=DIR");
        assertThat(pulse.execute("local", "--rate", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--rate must be 0 or more events per second");
    }

    @Test
    void getAndDescribeNeedAKnownKindAndARunningStack() {
        System.setProperty("pulse.data", dataDir.toString());
        assertThat(pulse.execute("get", "widgets")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown kind 'widgets'", "Usage: pulse get");
        assertThat(pulse.execute("describe", "metric")).isEqualTo(2);
        assertThat(pulse.execute("get", "mt", "-A")).isEqualTo(1);
        assertThat(err.toString()).contains("pulse get: no local stack is running");
        assertThat(pulse.execute("describe", "metric/orders-per-minute")).isEqualTo(1);
        assertThat(err.toString()).contains("pulse describe: no local stack is running");
        assertThat(pulse.execute("token")).as("-n is required").isEqualTo(2);
        assertThat(pulse.execute("token", "-n", "Not_A_Namespace")).isEqualTo(2);
        assertThat(pulse.execute("token", "-n", "growth")).isEqualTo(1);
        assertThat(err.toString()).contains("pulse token: no local stack is running");
    }

    @Test
    void tokenSignsWithTheRunningStacksKeyForOneNamespace() throws Exception {
        System.setProperty("pulse.data", dataDir.toString());
        // a stack.json of a live process (this JVM) and its key, as pulse local writes them
        StackFile.write(dataDir, java.util.Map.of("pid", ProcessHandle.current().pid()));
        dev.pulse.testsupport.LocalAccessPolicy policy = dev.pulse.testsupport.LocalAccessPolicy.generate();
        AccessKey.write(dataDir, policy);
        try {
            assertThat(pulse.execute("token", "-n", "growth")).isZero();
            String token = out.toString().trim();
            assertThat(policy.user(token)).contains("pulse-local:namespace:growth");
            assertThat(java.nio.file.Files.getPosixFilePermissions(dataDir.resolve(AccessKey.NAME)))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        } finally {
            AccessKey.delete(dataDir);
            StackFile.delete(dataDir);
        }
    }
}
