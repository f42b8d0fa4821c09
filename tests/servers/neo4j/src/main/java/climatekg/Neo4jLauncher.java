package climatekg;

import java.nio.file.Path;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Embedded Neo4j Community with a Bolt connector on 127.0.0.1, for tests and development.
 *
 * <p>Usage: {@code Neo4jLauncher --port N --dir DATA_DIR [--password PW]} (no password: auth off).
 * Prints {@code NEO4J READY bolt://127.0.0.1:N} once Bolt accepts logins, then runs until stdin
 * closes (so it dies with its parent) or the JVM is told to stop (SIGTERM/SIGINT).
 */
public final class Neo4jLauncher {
    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable e) {
            // Neo4j's threads are not daemons: without exit(1) a failed start would hang, silent.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0); // runs the shutdown hook
    }

    private static void run(String[] args) throws Exception {
        int port = 7687;
        Path dir = null;
        String password = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]).toAbsolutePath();
                case "--password" -> password = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) throw new IllegalArgumentException("--dir is required");

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(dir)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                // Bounded: the default sizes the page cache from the machine's RAM.
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(256))
                // Test databases are small: don't preallocate 256 MiB transaction log files.
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, password != null)
                // Netty waits a 5 s quiet period per event loop group on shutdown (~10 s in all).
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                .build();
        // SIGTERM, SIGINT and System.exit all run this; it flushes and closes the store.
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        if (password != null) {
            // A fresh store has neo4j/neo4j with a forced change; the embedded API is not
            // subject to auth, so set the real password directly in the system database.
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                    "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        }
        System.out.println("NEO4J READY bolt://127.0.0.1:" + port);
        System.out.flush();

        while (System.in.read() != -1) {
            // Block until the parent closes our stdin (or dies).
        }
    }
}
