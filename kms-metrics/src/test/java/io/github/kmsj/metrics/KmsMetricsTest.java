package io.github.kmsj.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.time.ManualScheduler;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.test.KmsTestHost;
import io.github.kmsj.test.TestProduct;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class KmsMetricsTest {

  @Test
  void bound_requestsOverASocket_metersEqualWhatWasSent(@TempDir Path dir) throws Exception {
    ManualScheduler time = new ManualScheduler(KmsTestHost.DEFAULT_START);
    RequestMetrics requests = new RequestMetrics();
    FileHostStore store = FileHostStore.builder().directory(dir.resolve("store")).build();
    KmsHost host =
        KmsHost.builder()
            .time(time)
            .random(new SplittableRandom(1))
            .store(store)
            .listener(requests)
            .build();
    KmsServer server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .eventLoops(1)
            .daemon(true)
            .build()
            .start();
    DnsPublishResults dns = new DnsPublishResults();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsMetrics.builder(host, requests).server(server).dns(dns).build().bindTo(registry);
    try {
      KmsClient client =
          KmsClient.builder()
              .clock(time)
              .random(new SplittableRandom(2))
              .timeouts(Duration.ofSeconds(10))
              .build();
      Target target =
          Target.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      SplittableRandom cmids = new SplittableRandom(3);
      for (int i = 0; i < 7; i++) {
        ActivationResult r =
            client.activate(target, TestProduct.WINDOWS_11_PRO.request().randomCmid(cmids).build());
        assertTrue(
            r instanceof ActivationResult.Activated || r instanceof ActivationResult.BelowThreshold,
            r::toString);
      }
      for (int i = 0; i < 2; i++) {
        client.activate(
            target,
            TestProduct.OFFICE_LTSC_2024_PRO_PLUS
                .request()
                .randomCmid(cmids)
                .licenseStatus(LicenseStatus.LICENSED)
                .build());
      }
      // A product no group covers: refused with 0xC004F042.
      ActivationResult refused =
          client.activate(
              target,
              TestProduct.WINDOWS_11_PRO
                  .request()
                  .randomCmid(cmids)
                  .kmsCountedId(Guid.parse("00000000-1111-2222-3333-444444444444"))
                  .build());
      assertTrue(refused instanceof ActivationResult.Refused, refused::toString);
      dns.record(DnsPublishResults.Operation.PUBLISH, true);
      dns.record(DnsPublishResults.Operation.PUBLISH, false);
      dns.record(DnsPublishResults.Operation.REMOVE, true);

      assertEquals(7, outcome(registry, "OOBGrace"));
      assertEquals(2, outcome(registry, "Licensed"));
      assertEquals(1, outcome(registry, "Failed"));
      assertEquals(0, outcome(registry, "Unlicensed"));
      assertEquals(10, requests.total());
      Timer latency = registry.get("kmsj.request.latency").timer();
      assertEquals(10, latency.count());
      // The manual ticker does not move while a request is handled: every latency is 0 here.

      Guid windows = TestProduct.WINDOWS_11_PRO.applicationId();
      Gauge count =
          registry.get("kmsj.current.count").tag("application", windows.toString()).gauge();
      assertEquals(7, count.value());
      assertEquals(host.currentCount(windows, host.now()), count.value());
      Gauge office =
          registry
              .get("kmsj.current.count")
              .tag("application", TestProduct.OFFICE_LTSC_2024_PRO_PLUS.applicationId().toString())
              .gauge();
      assertEquals(2, office.value());

      assertEquals(server.stats().accepted(), counter(registry, "kmsj.connections.accepted"));
      assertTrue(server.stats().accepted() >= 1);
      // The client's connections close on their own schedule: the gauge is a live count.
      double open = registry.get("kmsj.connections.open").gauge().value();
      assertTrue(open >= 0 && open <= server.stats().accepted(), "open connections: " + open);
      assertEquals(
          0,
          registry
              .get("kmsj.connections.refused")
              .tag("reason", "address_limit")
              .functionCounter()
              .count());

      assertEquals(1, registry.get("kmsj.store.healthy").gauge().value());
      FunctionTimer forces = registry.get("kmsj.store.force").functionTimer();
      assertEquals(store.journalForces(), (long) forces.count());
      assertTrue(forces.count() >= 1, "a durable store forced at least once");
      assertTrue(registry.get("kmsj.store.journal").gauge().value() > 0);
      assertEquals(0, registry.get("kmsj.store.queue.depth").gauge().value());

      assertEquals(1, dnsCount(registry, "publish", "success"));
      assertEquals(1, dnsCount(registry, "publish", "failure"));
      assertEquals(1, dnsCount(registry, "remove", "success"));
      assertEquals(0, dnsCount(registry, "remove", "failure"));
    } finally {
      server.close();
      host.close();
    }
  }

  @Test
  void probe_isNeverCounted() {
    RequestMetrics requests = new RequestMetrics();
    try (KmsTestHost t =
        KmsTestHost.builder().inProcess().host(b -> b.listener(requests)).start()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      KmsMetrics.builder(t.host(), requests).build().bindTo(registry);
      t.activate(TestProduct.WINDOWS_11_PRO.request(KmsHost.PROBE_CMID));
      t.activate(TestProduct.WINDOWS_11_PRO);
      assertEquals(1, requests.total());
      assertEquals(1, registry.get("kmsj.request.latency").timer().count());
      assertEquals(1, t.count(TestProduct.WINDOWS_11_PRO));
    }
  }

  private static double outcome(SimpleMeterRegistry registry, String outcome) {
    return registry.get("kmsj.requests").tag("outcome", outcome).functionCounter().count();
  }

  private static double counter(SimpleMeterRegistry registry, String name) {
    FunctionCounter c = registry.get(name).functionCounter();
    return c.count();
  }

  private static double dnsCount(SimpleMeterRegistry registry, String op, String result) {
    return registry
        .get("kmsj.dns.publish")
        .tag("operation", op)
        .tag("result", result)
        .functionCounter()
        .count();
  }
}
