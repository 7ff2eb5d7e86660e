package dev.pulse.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {
    private ServerSocket echo;

    /** A server that sends back every byte it reads, one thread per connection. */
    @BeforeEach
    void startEcho() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.transferTo(out);
                        } catch (IOException e) {
                            // the client went away
                        }
                    });
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stopEcho() throws IOException {
        echo.close();
    }

    @Test
    void forwardsRefusesAndCutsThenAcceptsAgainOnTheSamePort() throws Exception {
        try (TcpProxy proxy = TcpProxy.start("127.0.0.1", echo.getLocalPort())) {
            assertThat(proxy.port()).isLessThan(32_768);
            try (Socket open = connect(proxy)) {
                assertThat(roundTrip(open, "hello")).isEqualTo("hello");
                assertThat(proxy.acceptedConnections()).isEqualTo(1);

                proxy.refuse();
                assertThatThrownBy(() -> connect(proxy)).isInstanceOf(ConnectException.class);
                // the open connection was cut: the next read ends or fails instead of answering
                assertThatThrownBy(() -> roundTrip(open, "still there?")).isInstanceOf(IOException.class);
            }

            proxy.accept();
            try (Socket again = connect(proxy)) {
                assertThat(roundTrip(again, "back")).isEqualTo("back");
            }
            assertThat(proxy.acceptedConnections()).isEqualTo(2);
        }
    }

    private static Socket connect(TcpProxy proxy) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends the text and reads as many bytes back; an IOException when the connection ended or broke. */
    private static String roundTrip(Socket s, String text) throws IOException {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        byte[] back = new byte[bytes.length];
        new DataInputStream(s.getInputStream()).readFully(back);
        return new String(back, java.nio.charset.StandardCharsets.UTF_8);
    }
}
