package dev.pulse.serving;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors a query can end in, each answered with a JSON {@code {"error": "..."}} body. */
public final class ApiError {
    private static final Logger LOG = Logger.getLogger(ApiError.class);

    private ApiError() {
    }

    /** A bad query parameter: 400. */
    public static final class BadParameter extends RuntimeException {
        public BadParameter(String message) {
            super(message);
        }
    }

    /** An analysis (or its anomalies) that the catalog does not hold: 404. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The database failed: 503, so a dashboard retries. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static class Mappers {
        @ServerExceptionMapper
        public Response badParameter(BadParameter e) {
            return json(Response.Status.BAD_REQUEST, e.getMessage());
        }

        @ServerExceptionMapper
        public Response notFound(NotFound e) {
            return json(Response.Status.NOT_FOUND, e.getMessage());
        }

        @ServerExceptionMapper
        public Response unavailable(Unavailable e) {
            LOG.warnf(e.getCause(), "%s", e.getMessage());
            return json(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }

        @ServerExceptionMapper
        public Response sql(SQLException e) {
            LOG.warnf(e, "query failed");
            return json(Response.Status.SERVICE_UNAVAILABLE, "the serving store failed: " + e.getMessage());
        }
    }

    static Response json(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
