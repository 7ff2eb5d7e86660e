package dev.pulse.serving;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors a request can end in, each answered with a JSON {@code {"error": "..."}} body (a bad
 * parameter also names it: {@code "parameter"}). No answer and no log line carries database error
 * text: it can quote data and connection details; the SQLState is logged instead.
 */
public final class ApiError {
    private static final Logger LOG = Logger.getLogger(ApiError.class);
    /** PostgreSQL's query_canceled: the statement timeout cancelled the query. */
    static final String QUERY_CANCELED = "57014";

    private ApiError() {
    }

    /** A bad query parameter: 400, naming the parameter. */
    public static final class BadParameter extends RuntimeException {
        private final String parameter;

        public BadParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        /** The query parameter at fault ({@code from}, {@code grain}, …). */
        public String parameter() {
            return parameter;
        }
    }

    /** No valid Kubernetes bearer token: 401. */
    public static final class Unauthorized extends RuntimeException {
        public Unauthorized(String message) {
            super(message);
        }
    }

    /** A namespace the caller may not read: 403. */
    public static final class Forbidden extends RuntimeException {
        public Forbidden(String message) {
            super(message);
        }
    }

    /** An analysis (or its anomalies) that the catalog does not hold: 404. */
    public static final class NotFound extends RuntimeException {
        public NotFound(String message) {
            super(message);
        }
    }

    /** The database or the Kubernetes API failed: 503, so a dashboard retries. The message is ours, never the cause's. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The serving store failed on a query: a statement timeout says so, anything else only that it failed. */
    static Unavailable storeFailed(SQLException e) {
        if (QUERY_CANCELED.equals(e.getSQLState())) {
            return new Unavailable("the query ran longer than the statement timeout: narrow the range, coarsen the grain or filter", e);
        }
        return new Unavailable("the serving store failed", e);
    }

    public static class Mappers {
        @ServerExceptionMapper
        public Response badParameter(BadParameter e) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", e.getMessage());
            body.put("parameter", e.parameter());
            return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON).entity(body).build();
        }

        @ServerExceptionMapper
        public Response unauthorized(Unauthorized e) {
            return Response.fromResponse(json(Response.Status.UNAUTHORIZED, e.getMessage()))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pulse\"").build();
        }

        @ServerExceptionMapper
        public Response forbidden(Forbidden e) {
            return json(Response.Status.FORBIDDEN, e.getMessage());
        }

        @ServerExceptionMapper
        public Response notFound(NotFound e) {
            return json(Response.Status.NOT_FOUND, e.getMessage());
        }

        @ServerExceptionMapper
        public Response unavailable(Unavailable e) {
            LOG.warnf("%s (%s)", e.getMessage(), cause(e.getCause()));
            return json(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
        }

        @ServerExceptionMapper
        public Response sql(SQLException e) {
            return unavailable(storeFailed(e));
        }

        /** JAX-RS' own errors (an unknown path: 404, a wrong method: 405) keep their status, in the same format. */
        @ServerExceptionMapper
        public Response webApplication(jakarta.ws.rs.WebApplicationException e) {
            Response.StatusType status = e.getResponse().getStatusInfo();
            return Response.status(status.getStatusCode()).type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", status.getReasonPhrase() == null ? "HTTP " + status.getStatusCode() : status.getReasonPhrase()))
                    .build();
        }

        /** Anything else is a bug: 500, with no text of the exception in the answer. */
        @ServerExceptionMapper
        public Response unexpected(RuntimeException e) {
            LOG.errorf("unexpected %s", cause(e));
            return json(Response.Status.INTERNAL_SERVER_ERROR, "internal error");
        }
    }

    /** What may be logged of a cause: its type and, for a database error, its SQLState; never its message. */
    static String cause(Throwable t) {
        if (t == null) {
            return "no cause";
        }
        if (t instanceof SQLException s) {
            return s.getClass().getSimpleName() + ", SQLState " + s.getSQLState();
        }
        if (t instanceof io.fabric8.kubernetes.client.KubernetesClientException k) {
            return k.getClass().getSimpleName() + ", HTTP " + k.getCode();
        }
        return t.getClass().getSimpleName();
    }

    static Response json(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
