package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Low priority ({@code slmgr /cpri}) on a running server: at most {@link
 * KmsServer#LOW_PRIORITY_CONNECTION_CAP} connections stay open, the rest are evicted, and normal
 * priority lifts the cap again. Real loopback connections, bounded waits.
 */
final class LowPriorityTest {

  @Test
  void lowPriority_300Connections_capAt256AndEvictions_normalAgainAcceptsAll() throws Exception {
    KmsServer server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build()
            .start();
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    try (LoopbackClients clients = new LoopbackClients(address)) {
      server.lowPriority(true);
      assertTrue(server.isLowPriority());
      assertEquals(KmsServer.LOW_PRIORITY_CONNECTION_CAP, server.connectionCap());
      clients.open(300, null, new byte[0], () -> server.stats().accepted(), 0);
      LoopbackClients.awaitAtLeast(
          () -> server.stats().evicted(), 300 - 256, "evictions down to the cap");
      assertTrue(
          server.stats().openConnections() <= KmsServer.LOW_PRIORITY_CONNECTION_CAP,
          server.stats()::toString);

      server.lowPriority(false);
      long evicted = server.stats().evicted();
      clients.open(100, null, new byte[0], () -> server.stats().accepted(), 300);
      LoopbackClients.awaitAtLeast(
          () -> server.stats().openConnections(), 356, "100 more open at normal priority");
      assertEquals(evicted, server.stats().evicted(), "no eviction below the normal cap");
    } finally {
      server.stop(Duration.ofSeconds(2));
    }
  }
}
