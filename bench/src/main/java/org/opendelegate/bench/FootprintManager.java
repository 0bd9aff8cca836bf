package org.opendelegate.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.opendelegate.testkit.FakeManager;

/**
 * The Manager of the footprint benchmark: the testkit's {@link FakeManager} on 127.0.0.1 with the real
 * Manager's pace (10 s heartbeats, 25 s polls), handing out no work, so the delegate idles. With a
 * keystore it speaks TLS, as a production Manager does. Runs until killed.
 *
 * <p>With {@code FOOTPRINT_AWS_TASKS} and/or {@code FOOTPRINT_SCRIPT_TASKS} set it hands every delegate
 * that registers that much work first ({@link FootprintWorkload}; {@code FOOTPRINT_REGION}, default
 * us-east-1, and {@code FOOTPRINT_VPC_ID} for the subnet and security group lookups).
 *
 * <pre>java -cp opendelegate-bench.jar org.opendelegate.bench.FootprintManager PORT [HEARTBEAT_MS] [POLL_WAIT_MS] [PKCS12_KEYSTORE PASSWORD]</pre>
 */
public final class FootprintManager {
    private FootprintManager() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        SSLContext tls = args.length > 4 ? tls(Path.of(args[3]), args[4].toCharArray()) : null;
        FakeManager manager = new FakeManager(port, tls);
        manager.heartbeatIntervalMillis = args.length > 1 ? Long.parseLong(args[1]) : 10_000;
        manager.pollWaitMillis = args.length > 2 ? Long.parseLong(args[2]) : 25_000;
        int awsTasks = count("FOOTPRINT_AWS_TASKS");
        int scriptTasks = count("FOOTPRINT_SCRIPT_TASKS");
        if (awsTasks + scriptTasks > 0) {
            String region = System.getenv().getOrDefault("FOOTPRINT_REGION", "us-east-1");
            String vpcId = System.getenv("FOOTPRINT_VPC_ID");
            Thread work = new Thread(
                    new FootprintWorkload(
                            manager, awsTasks, scriptTasks, region, vpcId == null || vpcId.isBlank() ? null : vpcId),
                    "footprint-work");
            work.setDaemon(true);
            work.start();
        }
        System.out.println("fake manager listening on " + manager.url());
        new CountDownLatch(1).await();
    }

    private static int count(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
    }

    private static SSLContext tls(Path keystore, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        return tls;
    }
}
