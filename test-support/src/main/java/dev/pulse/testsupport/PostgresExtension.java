package dev.pulse.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An embedded PostgreSQL (real binaries, 1.5-4 s to start) for tests, with a database per test.
 * {@link #perClass()}: registered with {@code @RegisterExtension static}, started before the class's
 * tests and stopped after them. {@link #shared()}: one for the whole test JVM, started on first
 * use (also from a Quarkus test resource, which is not a JUnit extension) and stopped when the JVM exits.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {
    private static PostgresExtension shared;

    private final boolean perClass;
    private EmbeddedPostgres postgres;

    private PostgresExtension(boolean perClass) {
        this.perClass = perClass;
    }

    public static PostgresExtension perClass() {
        return new PostgresExtension(true);
    }

    public static synchronized PostgresExtension shared() {
        if (shared == null) {
            shared = new PostgresExtension(false);
        }
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (perClass) {
            close();
        }
    }

    /** The server, started when first asked for. */
    public synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!perClass) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
            }
        }
        return postgres;
    }

    public String jdbcUrl(String database) {
        return postgres().getJdbcUrl("postgres", database);
    }

    /** Drops the database if it exists and creates it empty; a connection to it. */
    public Connection freshDatabase(String name) throws SQLException {
        try (Connection admin = postgres().getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return connect(name);
    }

    /** Creates the database unless it exists (an earlier test's data stays); a connection to it. */
    public Connection database(String name) throws SQLException {
        try (Connection admin = postgres().getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            boolean exists;
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                exists = r.next();
            }
            if (!exists) {
                s.execute("CREATE DATABASE " + name);
            }
        }
        return connect(name);
    }

    public Connection connect(String database) throws SQLException {
        return postgres().getDatabase("postgres", database).getConnection();
    }

    /**
     * Hangs the server as a machine that stops responding does: SIGSTOP to the postmaster (its pid
     * from {@code postmaster.pid} in the server's own data directory) and to every process under it.
     * Connections are still accepted by the kernel, but nothing answers: a client without timeouts
     * waits forever. Closing the result sends SIGCONT to the same processes.
     */
    public Hung hang() throws SQLException, IOException {
        String dataDirectory;
        try (Connection admin = postgres().getPostgresDatabase().getConnection(); Statement s = admin.createStatement();
                ResultSet r = s.executeQuery("SHOW data_directory")) {
            r.next();
            dataDirectory = r.getString(1);
        }
        long pid = Long.parseLong(Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim());
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IOException("no postmaster with pid " + pid));
        // the postmaster first: once it is stopped it forks no new backend
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        signal("-STOP", List.of(pid));
        postmaster.descendants().forEach(p -> pids.add(p.pid()));
        signal("-STOP", pids.subList(1, pids.size()));
        return new Hung(pids);
    }

    /** A hung server; {@link #close()} resumes it. */
    public static final class Hung implements AutoCloseable {
        private final List<Long> pids;
        private boolean resumed;

        private Hung(List<Long> pids) {
            this.pids = List.copyOf(pids);
        }

        /** The stopped processes: the postmaster first, then its children. */
        public List<Long> pids() {
            return pids;
        }

        /** Sends SIGCONT to every stopped process (the children first); idempotent. */
        @Override
        public synchronized void close() throws IOException {
            if (!resumed) {
                List<Long> children = new ArrayList<>(pids.subList(1, pids.size()));
                children.add(pids.get(0));
                signal("-CONT", children);
                resumed = true;
            }
        }
    }

    /** Sends the signal to each process; one that has exited meanwhile (a backend ending) is skipped. */
    private static void signal(String signal, List<Long> pids) throws IOException {
        for (long pid : pids) {
            try {
                Process kill = new ProcessBuilder("kill", signal, Long.toString(pid)).redirectErrorStream(true).start();
                String out = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (kill.waitFor() != 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new IOException("kill " + signal + " " + pid + " failed: " + out.trim());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while signalling PostgreSQL", e);
            }
        }
    }

    private synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
