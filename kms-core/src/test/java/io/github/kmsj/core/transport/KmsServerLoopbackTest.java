package io.github.kmsj.core.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.message.VerifiedResponse;
import io.github.kmsj.protocol.rpc.ClientRpcOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class KmsServerLoopbackTest {
  private KmsServer server;
  private InetSocketAddress address;

  @BeforeEach
  void start() throws Exception {
    KmsHost host = KmsHost.builder().build();
    server =
        KmsServer.builder(host)
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build()
            .start();
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port());
  }

  @AfterEach
  void stop() {
    server.stop(java.time.Duration.ofSeconds(2));
  }

  @Test
  void activate_threeVersionsOnOneConnection_countsDistinctCmids() throws Exception {
    try (RawKmsClient client = new RawKmsClient(address, ClientRpcOptions.WINDOWS)) {
      client.bind();
      for (int i = 0; i < 3; i++) {
        VerifiedResponse r = client.activate(TestRequests.windows10(4 + i, TestRequests.cmid(i), Instant.now()));
        assertTrue(r.isVerified(), () -> "failed " + r.failedChecks());
        assertEquals(i + 1, r.response().base().currentClientCount());
      }
    }
  }
}
