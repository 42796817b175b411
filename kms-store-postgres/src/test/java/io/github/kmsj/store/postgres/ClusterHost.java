package io.github.kmsj.store.postgres;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.TestProduct;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.UUID;

/** One kmsj host of a test cluster: a host on a PostgreSQL store, served on loopback port 0. */
final class ClusterHost implements AutoCloseable {
  private final PostgresHostStore store;
  private final KmsHost host;
  private final KmsServer server;
  private final KmsClient client = KmsClient.builder().timeouts(Duration.ofSeconds(30)).build();

  private ClusterHost(PostgresHostStore store) {
    this.store = store;
    this.host = KmsHost.builder().store(store).build();
    this.server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start();
  }

  static ClusterHost start(PostgresHostStore store) {
    return new ClusterHost(store);
  }

  /** The i-th test CMID. */
  static Guid cmid(int i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | i));
  }

  KmsHost host() {
    return host;
  }

  PostgresHostStore store() {
    return store;
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  /** Activates {@code cmid} over the socket with kmsj's client; returns the count answered. */
  int activate(TestProduct product, Guid cmid) {
    ActivationResult r = client.activate(Target.of(address()), product.request(cmid));
    if (r instanceof ActivationResult.Activated a) {
      return a.currentClientCount();
    }
    if (r instanceof ActivationResult.BelowThreshold b) {
      return b.currentClientCount();
    }
    throw new AssertionError("not answered: " + r);
  }

  /** Counts {@code n} distinct Windows clients on {@code host} in process. */
  static void activateInProcess(KmsHost host, int n) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(n);
    for (int i = 1; i <= n; i++) {
      io.github.kmsj.core.client.InProcessActivation.activate(
          host,
          TestProduct.WINDOWS_10_PRO.request(cmid(1000 + i)),
          java.time.Instant.now(),
          random);
    }
  }

  @Override
  public void close() {
    server.close();
    host.close();
  }
}
