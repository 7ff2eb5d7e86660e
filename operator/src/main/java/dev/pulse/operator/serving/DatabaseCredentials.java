package dev.pulse.operator.serving;

import dev.pulse.api.v1alpha1.common.Reasons;
import dev.pulse.operator.config.PulseConfig;
import dev.pulse.render.Labels;
import dev.pulse.render.PipelineException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The serving database's credentials the operator hands out ({@link DatabaseRoles}), each in a
 * Secret it owns:
 * <ul>
 * <li>per namespace with EventStreams, the Secret {@code pulse.serving.pipeline-secret} (keys
 * {@code PULSE_JDBC_URL}, {@code PULSE_JDBC_USER}, {@code PULSE_JDBC_PASSWORD}) of the namespace's
 * writer role, which its FlinkDeployments take as environment; set up before the namespace's first
 * pipeline is deployed;</li>
 * <li>in the operator's own namespace, the Secret {@code pulse.serving.reader-secret} (keys
 * {@code PULSE_SERVING_JDBC_URL}, {@code PULSE_SERVING_USER}, {@code PULSE_SERVING_PASSWORD}) of
 * the serving API's read-only role, set up at start (retried every 30 s until it succeeds).</li>
 * </ul>
 * A password is generated once and kept in its Secret; a Secret deleted or edited by hand gets a
 * new password. The owner's credential ({@code pulse.jdbc.*}) never leaves the operator. Without a
 * serving database nothing is done.
 */
@ApplicationScoped
public class DatabaseCredentials {
    private static final Logger LOG = Logger.getLogger(DatabaseCredentials.class);
    static final String URL = "PULSE_JDBC_URL";
    static final String USER = "PULSE_JDBC_USER";
    static final String PASSWORD = "PULSE_JDBC_PASSWORD";
    static final String SERVING_URL = "PULSE_SERVING_JDBC_URL";
    static final String SERVING_USER = "PULSE_SERVING_USER";
    static final String SERVING_PASSWORD = "PULSE_SERVING_PASSWORD";
    /** The Secrets' label value of {@link Labels#ROLE}. */
    public static final String ROLE_DATABASE_CREDENTIALS = "database-credentials";

    /** Opens a connection for role and grant changes. */
    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final String url;
    private final PulseConfig.Serving config;
    private final KubernetesClient client;
    /** Namespaces whose role, grants and Secret were set up by this process. */
    private final Set<String> done = ConcurrentHashMap.newKeySet();
    private volatile boolean readerDone;
    private ScheduledExecutorService scheduler;

    @Inject
    public DatabaseCredentials(ServingDatabase database, PulseConfig config, KubernetesClient client) {
        this(database.configured() ? database::connectForDdl : null, config.jdbc().url().orElse(null), config.serving(), client);
    }

    DatabaseCredentials(Connector connector, String url, PulseConfig.Serving config, KubernetesClient client) {
        this.connector = connector;
        this.url = url;
        this.config = config;
        this.client = client;
    }

    void start(@Observes StartupEvent e) {
        if (connector == null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pulse-reader-role");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                ensureReader();
                scheduler.shutdown();
            } catch (RuntimeException | SQLException ex) {
                LOG.warnf("cannot set up the serving API's database role yet (%s); trying again in 30 s", problem(ex));
            }
        }, 0, 30, TimeUnit.SECONDS);
    }

    void stop(@Observes ShutdownEvent e) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /**
     * Makes sure the namespace's writer role, its grants and its Secret exist (once per process and
     * namespace).
     *
     * @throws PipelineException ({@code ServingStoreUnavailable}) when the database or the Secret cannot be written
     */
    public void ensureNamespace(String namespace) {
        if (connector == null || done.contains(namespace)) {
            return;
        }
        try {
            // the namespace's schema is granted to the reader role too, so that role must exist first
            ensureReader();
        } catch (SQLException | KubernetesClientException e) {
            throw new Unavailable("cannot set up the serving API's database role: " + problem(e), e);
        }
        try {
            String role = DatabaseRoles.writerRole(namespace);
            Secret existing = client.secrets().inNamespace(namespace).withName(config.pipelineSecret()).get();
            String password = value(existing, PASSWORD);
            boolean current = DatabaseRoles.isUsable(password) && role.equals(value(existing, USER)) && url.equals(value(existing, URL));
            if (!DatabaseRoles.isUsable(password)) {
                password = DatabaseRoles.newPassword();
            }
            try (Connection c = connector.open()) {
                DatabaseRoles.ensureWriter(c, namespace, password, config.readerRole());
            }
            if (!current) {
                write(namespace, config.pipelineSecret(), Map.of(URL, url, USER, role, PASSWORD, password));
            }
            done.add(namespace);
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                throw new Unavailable("namespace " + namespace + " is not onboarded: the operator is forbidden to write its Secret "
                        + config.pipelineSecret() + " (install charts/pulse-namespace there)", e);
            }
            throw new Unavailable("cannot set up the database role of namespace " + namespace + ": " + problem(e), e);
        } catch (SQLException e) {
            throw new Unavailable("cannot set up the database role of namespace " + namespace + ": " + problem(e), e);
        }
    }

    /** The serving API's role and its Secret in the operator's namespace. */
    synchronized void ensureReader() throws SQLException {
        if (readerDone || connector == null) {
            return;
        }
        String namespace = client.getNamespace();
        Secret existing = client.secrets().inNamespace(namespace).withName(config.readerSecret()).get();
        String password = value(existing, SERVING_PASSWORD);
        boolean current = DatabaseRoles.isUsable(password) && config.readerRole().equals(value(existing, SERVING_USER))
                && url.equals(value(existing, SERVING_URL));
        if (!DatabaseRoles.isUsable(password)) {
            password = DatabaseRoles.newPassword();
        }
        try (Connection c = connector.open()) {
            DatabaseRoles.ensureReader(c, config.readerRole(), password);
        }
        if (!current) {
            write(namespace, config.readerSecret(), Map.of(SERVING_URL, url, SERVING_USER, config.readerRole(), SERVING_PASSWORD, password));
        }
        readerDone = true;
        LOG.infof("the serving API's database role %s is set up; its credentials are in Secret %s/%s", config.readerRole(), namespace,
                config.readerSecret());
    }

    private void write(String namespace, String name, Map<String, String> values) {
        Map<String, String> data = new TreeMap<>();
        values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.OPERATOR, Labels.PART_OF, "pulse", Labels.ROLE, ROLE_DATABASE_CREDENTIALS))
                .endMetadata().withType("Opaque").withData(data).build();
        // no server-side apply: replace what is there (a Secret edited by hand), else create
        client.secrets().inNamespace(namespace).resource(secret).createOr(existing -> existing.update());
    }

    private static String value(Secret secret, String key) {
        if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** What failed, without the driver's or the API server's own text. */
    private static String problem(Exception e) {
        if (e instanceof SQLException sql) {
            return ServingDatabase.describe(sql);
        }
        if (e instanceof KubernetesClientException k) {
            return "the Kubernetes API answered " + k.getCode() + " for a Secret";
        }
        return e.getClass().getSimpleName();
    }

    /** The serving database or the Secret could not be written: retried, shown as Ready=False. */
    static final class Unavailable extends PipelineException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String reason() {
            return Reasons.SERVING_STORE_UNAVAILABLE;
        }
    }
}
