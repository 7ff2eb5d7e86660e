package dev.pulse.pipeline.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connections of the job to the serving database, with timeouts on the TCP connect, the login and
 * every read: a PostgreSQL whose processes are stopped (hung, not refusing) fails the write, and
 * the job restarts from its last checkpoint (the upserts are idempotent), instead of the sink
 * waiting forever while nothing says so.
 */
public final class ServingConnections {
    /** Seconds for the TCP connect and the whole login. */
    static final int CONNECT_TIMEOUT_SECONDS = 10;
    /** Seconds any one read may wait: longer than any upsert batch takes. */
    static final int READ_TIMEOUT_SECONDS = 120;

    private ServingConnections() {
    }

    public static Connection open(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("loginTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("socketTimeout", Integer.toString(READ_TIMEOUT_SECONDS));
        return DriverManager.getConnection(url, props);
    }
}
