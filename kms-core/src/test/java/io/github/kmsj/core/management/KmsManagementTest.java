package io.github.kmsj.core.management;

import static io.github.kmsj.core.host.TestCalls.NOW;
import static io.github.kmsj.core.host.TestCalls.PEER;
import static io.github.kmsj.core.host.TestCalls.base;
import static io.github.kmsj.core.host.TestCalls.call;
import static io.github.kmsj.core.host.TestCalls.cmid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.host.RequestCountersSnapshot;
import io.github.kmsj.core.host.TestCalls;
import io.github.kmsj.protocol.message.LicenseStatus;
import io.github.kmsj.protocol.rpc.KmsCall;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class KmsManagementTest {
  private static final MBeanServer PLATFORM = ManagementFactory.getPlatformMBeanServer();

  private final RequestCounters counters = new RequestCounters();
  private final KmsHost host =
      TestCalls.host().listener(counters).activationInterval(Duration.ofMinutes(60)).build();
  private final String name = "test-" + UUID.randomUUID();
  private final KmsManagement management =
      KmsManagement.builder(host, counters).name(name).register();

  @AfterEach
  void close() {
    management.close();
  }

  private Object attribute(String attribute) throws Exception {
    return PLATFORM.getAttribute(management.objectName(), attribute);
  }

  @Test
  void register_objectName_isTypeKeyManagementServiceWithName() throws Exception {
    assertEquals(
        new ObjectName("io.github.kmsj:type=KeyManagementService,name=" + name),
        management.objectName());
    assertTrue(PLATFORM.isRegistered(management.objectName()));
  }

  @Test
  void getAttribute_afterEveryOutcome_readsWmiCounters() throws Exception {
    for (KmsCall c : TestCalls.everyOutcome()) {
      host.rpcHandler().answer(c, PEER).join();
    }
    host.rpcHandler()
        .answer(call(base(cmid(10), 25, LicenseStatus.LICENSED, TestCalls.WIN10_KMS_ID, NOW)), PEER)
        .join();
    host.rpcHandler()
        .answer(
            call(base(cmid(11), 25, LicenseStatus.EXTENDED_GRACE, TestCalls.WIN10_KMS_ID, NOW)),
            PEER)
        .join();

    // everyOutcome: 2 answered (OOB grace), 5 refused, 1 probe (not counted); then 2 answered.
    assertEquals(9L, attribute("KeyManagementServiceTotalRequests"));
    assertEquals(5L, attribute("KeyManagementServiceFailedRequests"));
    assertEquals(0L, attribute("KeyManagementServiceUnlicensedRequests"));
    assertEquals(1L, attribute("KeyManagementServiceLicensedRequests"));
    assertEquals(2L, attribute("KeyManagementServiceOOBGraceRequests"));
    assertEquals(0L, attribute("KeyManagementServiceOOTGraceRequests"));
    assertEquals(0L, attribute("KeyManagementServiceNonGenuineGraceRequests"));
    assertEquals(0L, attribute("KeyManagementServiceNotificationRequests"));
    assertEquals(1L, attribute("KeyManagementServiceExtendedGraceRequests"));
    assertEquals(4, attribute("KeyManagementServiceCurrentCount"));
  }

  @Test
  void getAttribute_hostSettings_readBack() throws Exception {
    assertEquals(60, attribute("VLActivationInterval"));
    assertEquals(10080, attribute("VLRenewalInterval"));
    assertEquals(0, attribute("KeyManagementServiceListeningPort"));
    assertEquals(-1L, attribute("ConnectionsEvicted"), "no server: no transport counters");
    assertEquals(1, attribute("IsKeyManagementServiceMachine"));
    assertEquals(host.identity().hwid().toHex(), attribute("HostHardwareId"));
    assertEquals(host.catalog().version(), attribute("CatalogVersion"));
    assertEquals(host.catalog().digest(), attribute("CatalogDigest"));
    assertEquals(64, ((String) attribute("CatalogDigest")).length());
    String windowsGroup =
        host.coverage().groups().stream()
            .filter(g -> g.applicationId().equals(TestCalls.WINDOWS))
            .findFirst()
            .orElseThrow()
            .id();
    assertEquals(
        host.identity().ePid(windowsGroup).orElseThrow().format(),
        attribute("KeyManagementServiceProductKeyID"));
    TabularData ePids = (TabularData) attribute("KeyManagementServiceProductKeyIDs");
    assertEquals(host.identity().ePids().size(), ePids.size());
  }

  @Test
  void getAttribute_officeCounts_perApplication() throws Exception {
    assertEquals(0, attribute("Office2013AndLaterCurrentCount"));
    assertEquals(0, attribute("KeyManagementServiceCurrentCount"));
    host.rpcHandler().answer(call(base(cmid(1), 25)), PEER).join();

    TabularData byApplication = (TabularData) attribute("CurrentCountByApplication");
    CompositeData windows = byApplication.get(new Object[] {TestCalls.WINDOWS.toString()});
    assertEquals(1, windows.get("value"));
    assertEquals(1, attribute("KeyManagementServiceCurrentCount"));
  }

  @Test
  void snapshot_matchesAttributes() throws Exception {
    host.rpcHandler().answer(call(base(cmid(1), 25)), PEER).join();
    host.rpcHandler().answer(call(base(KmsHost.PROBE_CMID, 25)), PEER).join();

    ServiceSnapshot s = management.snapshot();

    assertEquals(NOW, s.time());
    assertEquals(new RequestCountersSnapshot(1, 0, 0, 0, 1, 0, 0, 0, 0, 0), s.requests());
    assertEquals(1, s.currentCount(TestCalls.WINDOWS));
    assertEquals(Duration.ofMinutes(60), s.activationInterval());
    assertEquals(Duration.ofDays(7), s.renewalInterval());
    assertEquals(0, s.listeningPort());
    assertEquals(host.identity().ePids().keySet(), s.ePids().keySet());
    assertEquals(attribute("HostHardwareId"), s.hwid());
  }

  @Test
  void register_hostWithoutWindowsGroup_windowsCountIsMinusOne() throws Exception {
    KmsHost office = TestCalls.host().hostKeyGroups(officeGroups(host)).hostBuild(26100).build();
    try (KmsManagement m =
        KmsManagement.builder(office, new RequestCounters()).name(name + "-office").register()) {
      assertEquals(-1, PLATFORM.getAttribute(m.objectName(), "KeyManagementServiceCurrentCount"));
      assertEquals(-1, m.snapshot().currentCount(TestCalls.WINDOWS));
    }
  }

  private static List<String> officeGroups(KmsHost host) {
    return host.coverage().groups().stream()
        .filter(g -> !g.applicationId().equals(TestCalls.WINDOWS))
        .map(g -> g.id())
        .toList();
  }

  @Test
  void close_unregistersAndIsIdempotent() {
    management.close();
    management.close();

    assertFalse(PLATFORM.isRegistered(management.objectName()));
  }

  @Test
  void register_nameTaken_throwsIllegalState() {
    assertThrows(
        IllegalStateException.class,
        () -> KmsManagement.builder(host, counters).name(name).register());
  }

  @Test
  void objectName_withSpecialCharacters_isQuoted() throws Exception {
    ObjectName n = KmsManagement.objectName("kms host, 1");

    assertEquals("\"kms host, 1\"", n.getKeyProperty("name"));
    assertEquals("kms host, 1", ObjectName.unquote(n.getKeyProperty("name")));
    assertEquals(
        Map.of("type", "KeyManagementService", "name", "\"kms host, 1\""),
        Map.copyOf(n.getKeyPropertyList()));
  }

  @Test
  void getAttribute_withAServer_readsTheConnectionCounters() throws Exception {
    try (io.github.kmsj.core.transport.KmsServer server =
            io.github.kmsj.core.transport.KmsServer.builder(host.rpcHandler())
                .listen(
                    new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))
                .daemon(true)
                .build()
                .start();
        KmsManagement withServer =
            KmsManagement.builder(host, counters).name(name + "-server").server(server).register();
        java.net.Socket idle = new java.net.Socket()) {
      idle.connect(
          new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.port()),
          5000);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (server.stats().openConnections() < 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      java.util.function.Function<String, Object> read =
          a -> {
            try {
              return PLATFORM.getAttribute(withServer.objectName(), a);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          };
      assertEquals(1L, read.apply("ConnectionsOpen"));
      assertEquals(0L, read.apply("ConnectionsEvicted"));
      assertEquals(0L, read.apply("ConnectionsRefusedByAddressLimit"));
      assertEquals(0L, read.apply("ConnectionsBindTimedOut"));
      assertEquals(0L, read.apply("ConnectionsSlowPduTimedOut"));
      assertEquals(0L, read.apply("ConnectionsIdleTimedOut"));
      assertEquals(server.port(), read.apply("KeyManagementServiceListeningPort"));
    }
  }
}
