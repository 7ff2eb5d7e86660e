package dev.pulse.operator.outage;

import dev.pulse.testsupport.PostgresExtension;
import dev.pulse.testsupport.TcpProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** PostgreSQL behind a {@link TcpProxy} that can refuse connections, as the operator's serving database. */
public class GatedPostgres implements QuarkusTestResourceLifecycleManager {
    static final String DATABASE = "outage_serving";
    static TcpProxy gate;

    @Override
    public Map<String, String> start() {
        try {
            PostgresExtension.shared().freshDatabase(DATABASE).close();
            gate = TcpProxy.start("127.0.0.1", PostgresExtension.shared().postgres().getPort());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Map.of(
                "pulse.jdbc.url", "jdbc:postgresql://127.0.0.1:" + gate.port() + "/" + DATABASE,
                "pulse.jdbc.user", "postgres",
                "pulse.jdbc.password", "postgres");
    }

    @Override
    public void stop() {
        if (gate != null) {
            gate.close();
        }
    }
}
