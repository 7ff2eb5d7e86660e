package dev.pulse.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL from embedded binaries, its data directory kept between runs (initdb only when the
 * directory holds no cluster yet).
 */
final class Postgres implements AutoCloseable {
    static final String USER = "postgres";
    static final String DATABASE = "postgres";

    private final EmbeddedPostgres pg;

    private Postgres(EmbeddedPostgres pg) {
        this.pg = pg;
    }

    static Postgres start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("max_connections", "100")
                .start();
        return new Postgres(pg);
    }

    int port() {
        return pg.getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    /**
     * The owner's connection as the {@code PULSE_JDBC_*} variables the chart's Secret
     * {@code pulse-serving-db} gives the operator, and only the operator: the pipelines log in as
     * their namespace's role and the serving API as the read-only role, both set up by the operator.
     */
    Map<String, String> jdbcEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PULSE_JDBC_URL", jdbcUrl());
        env.put("PULSE_JDBC_USER", USER);
        env.put("PULSE_JDBC_PASSWORD", "");
        return env;
    }

    /** A connection whose connect, login (10 s) and reads (30 s) time out: a hung PostgreSQL fails the call, it does not hold the stack. */
    java.sql.Connection connect() throws java.sql.SQLException {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("user", USER);
        p.setProperty("password", "");
        p.setProperty("connectTimeout", "10");
        p.setProperty("loginTimeout", "10");
        p.setProperty("socketTimeout", "30");
        return java.sql.DriverManager.getConnection(jdbcUrl(), p);
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
