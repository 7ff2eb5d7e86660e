package dev.pulse.operator.serving;

import dev.pulse.operator.config.PulseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Connections to the serving database ({@code pulse.jdbc.*}) with timeouts on connect, login and
 * every read, so a database that refuses or hangs fails a call instead of holding a reconcile; the
 * connections for schema changes also carry {@code lock_timeout} and {@code statement_timeout}.
 */
@ApplicationScoped
public class ServingDatabase {
    private final PulseConfig.Jdbc jdbc;

    public ServingDatabase(PulseConfig config) {
        this.jdbc = config.jdbc();
    }

    /** Whether a serving database is configured at all. */
    public boolean configured() {
        return jdbc.url().isPresent();
    }

    /** A connection whose connect, login and reads time out after {@code pulse.jdbc.connect-timeout}. */
    public Connection connect() throws SQLException {
        return open(jdbc.url().orElseThrow(), jdbc.user(), jdbc.password(), jdbc.connectTimeout(),
                jdbc.statementTimeout().plus(jdbc.connectTimeout()));
    }

    /** A connection whose connect and login, and every read, time out after {@code timeout} (the probes' catalog reads). */
    public Connection connect(Duration timeout) throws SQLException {
        return open(jdbc.url().orElseThrow(), jdbc.user(), jdbc.password(), timeout, timeout);
    }

    /**
     * A connection to any PostgreSQL the operator reads (the serving database, a batch source) with
     * timeouts on the TCP connect and the whole login ({@code connectTimeout}) and on every socket
     * read ({@code readTimeout}), so a database whose processes stopped fails the call instead of
     * holding the thread forever. Drivers other than PostgreSQL's ignore the properties.
     */
    public static Connection open(String url, Optional<String> user, Optional<String> password, Duration connectTimeout,
            Duration readTimeout) throws SQLException {
        Properties p = new Properties();
        user.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(pw -> p.setProperty("password", pw));
        String seconds = Long.toString(seconds(connectTimeout));
        // PostgreSQL's driver: TCP connect, the whole login, and every socket read
        p.setProperty("connectTimeout", seconds);
        p.setProperty("loginTimeout", seconds);
        p.setProperty("socketTimeout", Long.toString(seconds(readTimeout)));
        return DriverManager.getConnection(url, p);
    }

    /** A connection for schema changes: as {@link #connect()}, with {@code lock_timeout} and {@code statement_timeout} set. */
    public Connection connectForDdl() throws SQLException {
        Connection c = connect();
        try (Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = " + jdbc.lockTimeout().toMillis());
            s.execute("SET statement_timeout = " + jdbc.statementTimeout().toMillis());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * What went wrong, for status, Events and logs: the kind of failure by its SQLState, never the
     * driver's text (it may carry the host, the user or a database's own words).
     */
    public static String describe(SQLException e) {
        return describe(e, "the serving database");
    }

    /**
     * What went wrong with a database ({@code database}: "the serving database", "batch source
     * 'warehouse'"), by SQLState: never the driver's own text, which may carry the host, the port
     * or the database's error detail.
     */
    public static String describe(SQLException e, String database) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what;
        if (state.startsWith("08")) {
            what = "cannot connect to " + database;
        } else if (state.equals("57014")) {
            what = "a statement on " + database + " timed out";
        } else if (state.equals("55P03")) {
            what = database + " did not grant a table lock in time";
        } else if (state.startsWith("28")) {
            what = database + " refused the operator's credentials";
        } else if (state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            what = database + " is shutting down or starting up";
        } else if (state.equals("42P01") || state.equals("3F000")) {
            what = database + " has no such table (or schema)";
        } else if (state.equals("42703")) {
            what = database + " has no such column";
        } else if (state.equals("42501")) {
            what = database + " does not let the operator read the table";
        } else {
            what = database + " failed a call";
        }
        return state.isEmpty() ? what : what + " (SQLState " + state + ")";
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
