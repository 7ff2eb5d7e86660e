package dev.pulse.operator.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServingDatabaseTest {
    /**
     * A database that accepts the TCP connection and then never answers (a hung server, or a batch
     * source behind a dead link): opening a connection fails after the connect timeout instead of
     * waiting forever, as the drift check's and every other operator connection does.
     */
    @Test
    void aConnectionToADatabaseThatNeverAnswersFailsAfterTheConnectTimeout() throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept()); // accepted, never read from or written to
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            long start = System.nanoTime();
            assertThatThrownBy(() -> ServingDatabase.open("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/warehouse",
                    Optional.of("reader"), Optional.of("secret"), Duration.ofSeconds(1), Duration.ofSeconds(2)))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).startsWith("08"));
            // generous: the point is that it ends, not how fast
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
            assertThat(held).isNotEmpty();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
