package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's idle timeout runs on its injected scheduler: a test steps a {@link ManualScheduler}
 * through half a minute instead of waiting for it.
 */
final class ServerTimeTest {
  private final ManualScheduler time = new ManualScheduler(Instant.parse("2025-06-01T00:00:00Z"));
  private KmsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(2));
    }
  }

  @Test
  void idleTimeout_steppedOnTheManualTicker_closesOnlyAfterThirtySecondsOfSilence()
      throws Exception {
    server =
        KmsServer.builder(KmsHost.builder().build().rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .idleTimeout(Duration.ofSeconds(30))
            .time(time)
            .daemon(true)
            .build()
            .start();
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.bind();
      time.advance(Duration.ofSeconds(29));
      VerifiedResponse r =
          client.activate(TestRequests.windows10(6, TestRequests.cmid(1), Instant.now()));
      assertEquals(1, r.response().base().currentClientCount(), "open after 29 s of silence");

      time.advance(Duration.ofSeconds(29)); // 29 s since the request: still open
      assertEquals(
          2,
          client
              .activate(TestRequests.windows10(6, TestRequests.cmid(2), Instant.now()))
              .response()
              .base()
              .currentClientCount());
      assertEquals(0, server.stats().idleClosed());

      time.advance(Duration.ofSeconds(31));
      client.socket.setSoTimeout(5000);
      assertTrue(client.isClosedByPeer(), "closed once 31 s of virtual silence passed");
    }
    assertEquals(1, server.stats().idleClosed());
  }
}
