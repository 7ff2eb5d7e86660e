package dev.pulse.operator.drift;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One embedded PostgreSQL for the test JVM (real binaries, 1.5-4 s to start); a database per test. */
public final class TestPostgres {
    private static EmbeddedPostgres postgres;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres instance() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    /** A fresh database, and a connection to it. */
    public static Connection database(String name) throws SQLException {
        try (Connection admin = instance().getPostgresDatabase().getConnection(); Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name);
            s.execute("CREATE DATABASE " + name);
        }
        return instance().getDatabase("postgres", name).getConnection();
    }

    public static String jdbcUrl(String database) {
        return instance().getJdbcUrl("postgres", database);
    }
}
