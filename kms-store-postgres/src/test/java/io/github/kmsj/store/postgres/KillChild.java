package io.github.kmsj.store.postgres;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A kmsj host in a child JVM for {@link HostKillTest}: a host on the PostgreSQL database {@code
 * args[0]} (credentials from {@code KMSJ_TEST_PG_USER}/{@code KMSJ_TEST_PG_PASSWORD}, through the
 * store's own HikariCP pool, as {@code kmsj host --store} does) with host ID {@code args[1]} and
 * local log {@code args[2]}, served on 127.0.0.1 port 0; prints {@code PORT n} and serves until it
 * is killed.
 */
final class KillChild {
  private KillChild() {}

  public static void main(String[] args) throws Exception {
    PostgresHostStore store =
        PostgresHostStore.builder()
            .connect(
                args[0],
                new StoreCredentials(
                    System.getenv("KMSJ_TEST_PG_USER"), System.getenv("KMSJ_TEST_PG_PASSWORD")))
            .hostId(args[1])
            .walDirectory(Path.of(args[2]))
            .build();
    KmsHost host = KmsHost.builder().store(store).build();
    KmsServer server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
    System.out.println("PORT " + server.port());
    System.out.flush();
    Thread.currentThread().join();
  }
}
