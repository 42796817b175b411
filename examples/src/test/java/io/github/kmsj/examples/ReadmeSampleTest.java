package io.github.kmsj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.transport.KmsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's code sample, on port 0 instead of 1688, so that the sample keeps compiling and
 * working.
 */
final class ReadmeSampleTest {
  @Test
  void readmeSample_firstWindowsClient_isBelowThreshold() {
    List<RequestEvent> events = new ArrayList<>();
    KmsHost host =
        KmsHost.builder().renewalInterval(Duration.ofDays(7)).listener(events::add).build();
    try (KmsServer server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .build()
            .start()) {
      ProductCatalog catalog = host.catalog();
      ActivationRequest request =
          ActivationRequest.forProduct(
                  catalog, catalog.findProductByName("Windows 10").orElseThrow())
              .randomCmid(new SecureRandom())
              .build();
      ActivationResult result =
          KmsClient.builder().build().activate(Target.of("127.0.0.1", server.port()), request);
      ActivationResult.BelowThreshold below =
          assertInstanceOf(ActivationResult.BelowThreshold.class, result);
      assertEquals(1, below.currentClientCount());
      assertEquals(25, below.requiredClientCount());
      assertEquals(1, events.size());
    }
  }
}
