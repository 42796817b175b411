package io.github.kmsj.core.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.catalog.KmsCountedProduct;
import io.github.kmsj.core.catalog.ProductCatalog;
import io.github.kmsj.core.client.ActivationRequest;
import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.client.InProcessActivation;
import io.github.kmsj.core.client.KmsClient;
import io.github.kmsj.core.client.Target;
import io.github.kmsj.core.host.KmsHost;
import io.github.kmsj.core.host.RequestCounters;
import io.github.kmsj.core.ledger.ClientRecord;
import io.github.kmsj.core.ledger.HostState;
import io.github.kmsj.core.store.FileHostStore;
import io.github.kmsj.core.store.HostStateExporter;
import io.github.kmsj.core.store.StoreHealth;
import io.github.kmsj.core.transport.KmsServer;
import io.github.kmsj.protocol.message.Guid;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin surface of a running host: real server on loopback port 0, kmsj's own client. */
final class HostAdminTest {
  static final ProductCatalog CATALOG = ProductCatalog.builtIn();
  static final Guid WINDOWS = Guid.parse("55c92734-d682-4d71-983e-d6ec3f16059f");
  static final KmsCountedProduct SERVER_2019 =
      CATALOG.kmsCountedId(Guid.parse("8449b1fb-f0ea-497a-99ab-66ca96e9a0f5")).orElseThrow();
  static final KmsCountedProduct WINDOWS_10 =
      CATALOG.kmsCountedId(Guid.parse("58e2134f-8e11-4d17-9cb2-91069c151148")).orElseThrow();
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final RequestCounters counters = new RequestCounters();
  private final List<AuditEntry> heard = new CopyOnWriteArrayList<>();
  private final List<AdminSettings> heardSettings = new CopyOnWriteArrayList<>();
  private KmsHost host;
  private KmsServer server;
  private HostAdmin admin;
  private final KmsClient client =
      KmsClient.builder().random(new SplittableRandom(7)).timeouts(TIMEOUT).build();

  @BeforeEach
  void start() {
    host =
        KmsHost.builder()
            .store(FileHostStore.builder().directory(dir.resolve("data")).build())
            .listener(counters)
            .build();
    server =
        KmsServer.builder(host.rpcHandler())
            .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .daemon(true)
            .build()
            .start();
    admin =
        HostAdmin.builder(host)
            .server(server)
            .counters(counters)
            .version("test")
            .listener(
                (e, s) -> {
                  heard.add(e);
                  heardSettings.add(s);
                })
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(TIMEOUT);
    host.close();
  }

  static Guid cmid(int i) {
    return Guid.of(new UUID(0x6f1c2a3b4d5e4f60L, 0x8a7b000000000000L | i));
  }

  private ActivationResult activate(KmsCountedProduct product, int i) {
    return client.activate(
        Target.of("127.0.0.1", server.port()),
        ActivationRequest.forProduct(CATALOG, product).cmid(cmid(i)).build());
  }

  static Duration renewal(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.renewalInterval();
    }
    return assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString)
        .renewalInterval();
  }

  static Duration activation(ActivationResult r) {
    if (r instanceof ActivationResult.Activated a) {
      return a.activationInterval();
    }
    return assertInstanceOf(ActivationResult.BelowThreshold.class, r, r::toString)
        .activationInterval();
  }

  @Test
  void setRenewalInterval_runningHost_nextAnswerCarriesIt() {
    assertEquals(Duration.ofMinutes(10080), renewal(activate(SERVER_2019, 1)));

    admin.setRenewalInterval(Duration.ofMinutes(60), "api");
    admin.setActivationInterval(Duration.ofMinutes(30), "cli");

    ActivationResult next = activate(SERVER_2019, 2);
    assertEquals(Duration.ofMinutes(60), renewal(next));
    assertEquals(Duration.ofMinutes(30), activation(next));
    assertEquals(Duration.ofMinutes(60), admin.view().renewalInterval());
    List<AuditEntry> audit = admin.audit();
    assertEquals(2, audit.size());
    assertEquals(HostAdmin.RENEWAL_INTERVAL, audit.get(0).setting());
    assertEquals("10080", audit.get(0).oldValue());
    assertEquals("60", audit.get(0).newValue());
    assertEquals("api", audit.get(0).origin());
    assertEquals("cli", audit.get(1).origin());
    assertEquals(audit, heard);
    assertEquals(Duration.ofMinutes(30), heardSettings.get(1).activationInterval());
    assertEquals(audit, admin.view().audit());
  }

  @Test
  void setRenewalInterval_outOfRange_refusedNamingSettingAndValueAndNothingChanges() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> admin.setRenewalInterval(Duration.ofMinutes(5), "api"));
    assertTrue(e.getMessage().contains("renewal-interval 5"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> admin.setActivationInterval(Duration.ofDays(31), "api"));
    assertThrows(IllegalArgumentException.class, () -> admin.setPort(0, "api"));
    assertThrows(IllegalArgumentException.class, () -> admin.setPort(70000, "api"));

    assertEquals(Duration.ofMinutes(10080), host.renewalInterval());
    assertEquals(Duration.ofMinutes(120), host.activationInterval());
    assertTrue(admin.audit().isEmpty());
    assertTrue(heard.isEmpty());
    assertEquals(Duration.ofMinutes(10080), renewal(activate(SERVER_2019, 1)));
  }

  @Test
  void setPort_portInUse_refusedAndStillListening() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int before = server.port();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> admin.setPort(taken.getLocalPort(), "api"));
      assertTrue(e.getMessage().startsWith("port " + taken.getLocalPort()), e.getMessage());
      assertEquals(before, server.port());
      assertTrue(activate(SERVER_2019, 1) instanceof ActivationResult.BelowThreshold);
      assertTrue(admin.audit().isEmpty());
    }
  }

  @Test
  void view_runningHost_listsGroupsCountsThresholdsCountersAndHistory() {
    for (int i = 1; i <= 3; i++) {
      activate(SERVER_2019, i);
    }
    activate(WINDOWS_10, 10);

    HostView v = admin.view();
    assertEquals("test", v.version());
    assertEquals(List.of("127.0.0.1:" + server.port()), v.listening());
    assertEquals(server.port(), v.port());
    assertEquals(host.identity().hwid().toHex(), v.hwid());
    HostView.Group windows =
        v.groups().stream().filter(g -> g.id().equals("windows-server-2025")).findFirst().get();
    assertEquals(host.identity().ePid("windows-server-2025").get().format(), windows.ePid());
    assertTrue(
        windows.products().stream().anyMatch(p -> p.kmsCountedId().equals(SERVER_2019.id())));
    HostView.Count count =
        v.counts().stream().filter(c -> c.applicationId().equals(WINDOWS)).findFirst().get();
    assertEquals(4, count.currentCount());
    assertEquals(List.of(5, 25), count.thresholds());
    LocalDate today = host.now().atZone(ZoneOffset.UTC).toLocalDate();
    assertEquals(today, count.history().get(count.history().size() - 1).day());
    assertEquals(4, count.history().get(count.history().size() - 1).highestCount());
    assertEquals(4L, v.requests().get("KeyManagementServiceTotalRequests"));
    assertEquals(4L, v.requests().get("KeyManagementServiceOOBGraceRequests"));
    assertEquals("normal", v.priorityMode());
    assertEquals(4, v.store().clients());
    assertTrue(v.store().mode().contains("survives power loss"), v.store().mode());
    assertEquals("HEALTHY", v.store().health());
    assertTrue(v.dns().isEmpty());
    assertTrue(!v.uptime().isNegative());
  }

  @Test
  void view_clonedImage_countedOnceAndCountedAsASuspectedClone() {
    for (String ws : List.of("pc-a.corp.test", "pc-b.corp.test", "pc-c.corp.test")) {
      client.activate(
          Target.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())),
          ActivationRequest.forProduct(CATALOG, WINDOWS_10)
              .cmid(cmid(1))
              .workstationName(ws)
              .build());
    }
    activate(WINDOWS_10, 2);
    HostView.Count count =
        admin.view().counts().stream()
            .filter(c -> c.applicationId().equals(WINDOWS))
            .findFirst()
            .get();
    assertEquals(2, count.currentCount(), "three machines from one image count once");
    assertEquals(1, count.suspectedClones());
    List<io.github.kmsj.core.ledger.CloneDetection.SuspectedClone> clones = admin.clones();
    assertEquals(List.of(cmid(1)), clones.stream().map(c -> c.cmid()).toList());
    assertEquals(
        List.of("pc-a.corp.test", "pc-b.corp.test", "pc-c.corp.test"),
        clones.get(0).workstationNames());
  }

  @Test
  void clients_fiveThousandOnALiveHost_allReturnedAndFiltered() {
    Instant now = host.now();
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 5000; i++) {
      ActivationRequest r =
          ActivationRequest.forProduct(CATALOG, i % 2 == 0 ? WINDOWS_10 : SERVER_2019)
              .cmid(cmid(i))
              .workstationName("pc" + i + ".corp.example")
              .build();
      assertTrue(
          !(InProcessActivation.activate(host, r, now, random)
              instanceof ActivationResult.Refused));
    }
    activate(SERVER_2019, 9999); // and one over the network

    List<ClientRecord> all = admin.clients(ClientFilter.ALL);
    assertEquals(5001, all.size());
    assertEquals(5001, all.stream().map(ClientRecord::cmid).distinct().count());
    assertEquals(1, admin.clients(ClientFilter.ALL.workstation("PC4999.corp")).size());
    assertEquals(5001, admin.clients(ClientFilter.ALL.application(WINDOWS)).size());
    assertEquals(0, admin.clients(ClientFilter.ALL.notSeenFor(Duration.ofDays(1))).size());
    assertEquals(
        0,
        admin
            .clients(
                ClientFilter.ALL.application(Guid.parse("0ff1ce15-a989-479d-af46-f275c6370663")))
            .size());
  }

  @Test
  void export_runningHost_importsIntoAHostThatAnswersWithTheSameCount() throws Exception {
    for (int i = 1; i <= 7; i++) {
      activate(SERVER_2019, i);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    admin.export(out);
    ActivationResult after = activate(SERVER_2019, 8); // the host kept answering
    assertEquals(8, assertInstanceOf(ActivationResult.Activated.class, after).currentClientCount());

    HostStateExporter exporter = new HostStateExporter();
    HostState exported = exporter.read(new ByteArrayInputStream(out.toByteArray()));
    FileHostStore target = FileHostStore.builder().directory(dir.resolve("new")).build();
    exporter.importInto(target, exported, false);
    target.close();
    try (KmsHost moved =
        KmsHost.builder()
            .store(FileHostStore.builder().directory(dir.resolve("new")).build())
            .build()) {
      ActivationResult r =
          InProcessActivation.activate(
              moved,
              ActivationRequest.forProduct(CATALOG, SERVER_2019).cmid(cmid(1)).build(),
              host.now(),
              new SplittableRandom(3));
      assertEquals(7, assertInstanceOf(ActivationResult.Activated.class, r).currentClientCount());
      assertEquals(host.identity(), moved.identity());
      assertEquals(
          host.countHistory(WINDOWS).get(0).day(), moved.countHistory(WINDOWS).get(0).day());
    }
  }

  @Test
  void withNewIdentity_exportedState_differentHwidAndEpidsSameClients() throws Exception {
    for (int i = 1; i <= 5; i++) {
      activate(SERVER_2019, i);
    }
    HostState state = host.state(host.now());
    HostState fresh =
        HostAdmin.withNewIdentity(state, CATALOG, new SplittableRandom(99), LocalDate.now());

    assertNotEquals(state.identity().hwid(), fresh.identity().hwid());
    assertEquals(state.identity().ePids().keySet(), fresh.identity().ePids().keySet());
    for (String group : state.identity().ePids().keySet()) {
      assertNotEquals(state.identity().ePid(group), fresh.identity().ePid(group), group);
      assertEquals(
          state.identity().ePid(group).get().build(), fresh.identity().ePid(group).get().build());
    }
    assertEquals(state.ledger(), fresh.ledger());
  }

  @Test
  void setLowPriority_onAndOff_auditedAndCapped() {
    admin.setLowPriority(true, "api");
    assertTrue(server.isLowPriority());
    assertEquals(KmsServer.LOW_PRIORITY_CONNECTION_CAP, server.connectionCap());
    assertEquals("low", admin.view().priorityMode());
    assertTrue(activate(SERVER_2019, 1) instanceof ActivationResult.BelowThreshold);
    admin.setLowPriority(false, "api");
    assertTrue(server.connectionCap() > KmsServer.LOW_PRIORITY_CONNECTION_CAP);
    assertEquals(
        List.of("true", "false"), admin.audit().stream().map(AuditEntry::newValue).toList());
  }

  @Test
  void dnsSettings_noPublisher_refusedWithOneLine() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> admin.setDnsPublishing(false, "api"));
    assertTrue(e.getMessage().contains("DNS"), e.getMessage());
    assertEquals(Optional.empty(), admin.settings().dns());
    assertTrue(new ArrayList<>(admin.audit()).isEmpty());
  }

  @Test
  void healthText_degradedStore_saysSinceWhenWhetherItRetriesAndWhy() {
    assertEquals("HEALTHY", HostAdmin.healthText(StoreHealth.HEALTHY));
    assertEquals(
        "DEGRADED since 2026-12-01T10:00:00Z (retrying): journal.1: No space left on device",
        HostAdmin.healthText(
            new StoreHealth.Degraded(
                Instant.parse("2026-12-01T10:00:00Z"),
                "journal.1: No space left on device",
                3,
                true)));
    assertEquals(
        "DEGRADED since 2026-12-01T10:00:00Z (until restart): the directory was removed",
        HostAdmin.healthText(
            new StoreHealth.Degraded(
                Instant.parse("2026-12-01T10:00:00Z"), "the directory was removed", 0, false)));
  }
}
