package dev.pulse.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy for fault-injection tests: listens on a local port and forwards every connection to
 * a target. {@link #refuse()} closes the listening socket (new connections are refused, as by a
 * server that is down) and cuts every open connection (reset); {@link #accept()} listens on the
 * same port again. Plain blocking sockets on daemon threads: two per open connection.
 *
 * <p>The port lies below Linux's ephemeral range (32768 on), so no outgoing connection of this
 * machine takes it while the proxy refuses and the proxy can listen on it again.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int LOWEST_PORT = 20_000;
    private static final int ABOVE_HIGHEST_PORT = 32_768;

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private ServerSocket listener;
    private Thread acceptThread;
    private boolean closed;

    private TcpProxy(String targetHost, int targetPort, ServerSocket listener) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = listener;
        this.port = listener.getLocalPort();
    }

    /** A proxy to {@code targetHost:targetPort}, accepting connections. */
    public static TcpProxy start(String targetHost, int targetPort) {
        ServerSocket listener = null;
        for (int attempt = 0; listener == null; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, ABOVE_HIGHEST_PORT);
            try {
                listener = listen(port);
            } catch (BindException e) {
                if (attempt >= 100) {
                    throw new UncheckedIOException("no free port below " + ABOVE_HIGHEST_PORT + " for a proxy", e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        TcpProxy proxy = new TcpProxy(targetHost, targetPort, listener);
        synchronized (proxy) {
            proxy.acceptLoop(listener);
        }
        return proxy;
    }

    /** The local port clients connect to (on the loopback address). */
    public int port() {
        return port;
    }

    /** How many connections the proxy has forwarded since it started. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** How many forwarded connections are open now. */
    public int openConnections() {
        return open.size() / 2;
    }

    /** Refuses new connections and resets every open one, until {@link #accept()}; returns once both hold. */
    public void refuse() {
        ServerSocket closing;
        Thread acceptor;
        synchronized (this) {
            closing = listener;
            acceptor = acceptThread;
            listener = null;
            acceptThread = null;
        }
        if (closing != null) {
            closeQuietly(closing);
            // a thread blocked in accept() keeps the socket listening until it has left it
            try {
                acceptor.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket s : open) {
            reset(s);
        }
    }

    /** Accepts connections again, on the same port. */
    public synchronized void accept() {
        if (closed) {
            throw new IllegalStateException("the proxy is closed");
        }
        if (listener != null) {
            return;
        }
        try {
            listener = listen(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " again", e);
        }
        acceptLoop(listener);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        refuse();
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void acceptLoop(ServerSocket listener) {
        acceptThread = daemon("proxy " + port + " accept", () -> {
            while (!listener.isClosed()) {
                Socket client;
                try {
                    client = listener.accept();
                } catch (IOException e) {
                    return; // refused or closed
                }
                forward(client);
            }
        });
    }

    private void forward(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(targetHost, targetPort);
            client.setTcpNoDelay(true);
            upstream.setTcpNoDelay(true);
        } catch (IOException e) {
            reset(client);
            return;
        }
        synchronized (this) {
            if (listener == null) {
                // refused while this connection was being set up
                reset(client);
                reset(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
            accepted.incrementAndGet();
        }
        daemon("proxy " + port + " up", () -> pump(client, upstream));
        daemon("proxy " + port + " down", () -> pump(upstream, client));
    }

    /** Copies bytes one way until either side ends, then closes both. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // cut, reset or closed by the other pump
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /** Closes with a reset (RST), as a connection that breaks rather than one that ends. */
    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException e) {
            // already closed
        }
        closeQuietly(s);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // nothing to do
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
