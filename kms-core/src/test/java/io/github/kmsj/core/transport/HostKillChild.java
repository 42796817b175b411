package io.github.kmsj.core.transport;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.store.Durability;
import io.github.kmsj.core.store.FileHostStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A {@code kmsj host} in a child JVM for {@link HostKillTest}: a host on a file store in {@code
 * args[0]}, served on 127.0.0.1 port 0; prints {@code PORT n} and serves until it is killed. {@code
 * args[1]}: {@code default} (the store's default settings), {@code rotating} (default durability, a
 * new journal and a background snapshot every 97 changes) or {@code process-crash} ({@link
 * Durability#survivesProcessCrash}, rotating every 97 changes).
 */
final class HostKillChild {
  private HostKillChild() {}

  public static void main(String[] args) throws Exception {
    FileHostStore.Builder store = FileHostStore.builder().directory(Path.of(args[0]));
    switch (args[1]) {
      case "default" -> {}
      case "rotating" -> store.snapshotEveryChanges(97);
      case "process-crash" ->
          store
              .durability(Durability.survivesProcessCrash(Duration.ofMillis(50)))
              .snapshotEveryChanges(97);
      default -> throw new IllegalArgumentException("unknown mode " + args[1]);
    }
    KmsHost host = KmsHost.builder().store(store.build()).build();
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
