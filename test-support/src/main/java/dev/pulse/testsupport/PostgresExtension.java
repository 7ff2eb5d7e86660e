package dev.pulse.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

    private synchronized void close() throws IOException {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }
}
