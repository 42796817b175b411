package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.KmsTest;
import io.github.kmsj.test.KmsTestHost;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The whole story against a real BIND: a kmsj host publishes its SRV record (signed), a kmsj client
 * finds it through {@code _vlmcs._tcp} discovery and activates. The record's target has an A record
 * for the loopback address in the test zone, and discovery resolves it through the same server.
 */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
@KmsTest
final class EndToEndBindTest {

  @Test
  void hostPublishes_clientDiscoversAndActivates(KmsTestHost kms) {
    TestDnsServer.clearSrv("corp.test", "e2e.corp.test");
    TestDnsServer.setA("corp.test", "kms.e2e.corp.test", "127.0.0.1");
    KmsHost host = kms.host();
    try (SrvPublisher publisher =
        SrvPublisher.builder()
            .hostName("kms.e2e.corp.test")
            .homeDomain("e2e.corp.test")
            .port(kms.port())
            .server(TestDnsServer.address())
            .timeout(TestDnsServer.TIMEOUT)
            .tsigKey(TestDnsServer.keyName(), TestDnsServer.secret())
            .build()) {
      List<PublishEvent> published = publisher.publishNow();
      assertTrue(published.stream().allMatch(PublishEvent::isSuccess), published::toString);

      SrvLocator locator =
          SrvLocator.builder().server(TestDnsServer.address(), TestDnsServer.TIMEOUT).build();
      KmsClient client =
          KmsClient.builder()
              .locator(locator)
              .clock(kms.time()) // the host's clock: the request time must be within 4 h of it
              .timeouts(Duration.ofSeconds(3))
              .build();
      ProductCatalog catalog = host.catalog();
      ActivationResult last = null;
      for (int i = 1; i <= 5; i++) {
        ActivationRequest request =
            ActivationRequest.forProduct(
                    catalog,
                    catalog
                        .kmsCountedId(Guid.parse("8449b1fb-f0ea-497a-99ab-66ca96e9a0f5"))
                        .orElseThrow())
                .cmid(Guid.parse(String.format("e2e00000-0000-4000-8000-%012d", i)))
                .build();
        last = client.activate(Target.discover("e2e.corp.test"), request);
      }
      ActivationResult.Activated activated =
          assertInstanceOf(ActivationResult.Activated.class, last, String.valueOf(last));
      assertEquals(
          5, activated.currentClientCount(), "the fifth Windows Server client reaches N = 5");
      assertEquals(
          host.identity().ePid("windows-server-2025").orElseThrow().format(), activated.ePid());

      List<PublishEvent> removed = publisher.removeNow();
      assertInstanceOf(PublishEvent.Removed.class, removed.get(0));
      ActivationResult afterRemoval =
          client.activate(
              Target.discover("e2e.corp.test"),
              ActivationRequest.forProduct(
                      catalog,
                      catalog
                          .kmsCountedId(Guid.parse("8449b1fb-f0ea-497a-99ab-66ca96e9a0f5"))
                          .orElseThrow())
                  .cmid(Guid.parse("e2e00000-0000-4000-8000-000000000001"))
                  .build());
      assertInstanceOf(
          ActivationResult.NoHostFound.class, afterRemoval, String.valueOf(afterRemoval));
    }
  }
}
