package io.github.kmsj.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kmsj.core.client.ActivationResult;
import io.github.kmsj.core.host.CloneEvent;
import io.github.kmsj.core.host.HostListener;
import io.github.kmsj.core.host.RequestEvent;
import io.github.kmsj.core.ledger.CloneDetection;
import io.github.kmsj.dns.migrate.Check;
import io.github.kmsj.dns.migrate.CheckStatus;
import io.github.kmsj.dns.migrate.MigrationCheck;
import io.github.kmsj.dns.migrate.MigrationReport;
import io.github.kmsj.protocol.message.Guid;
import io.github.kmsj.test.KmsTestHost;
import io.github.kmsj.test.TestProduct;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * {@code migrate check} end to end against the real BIND test server and two kmsj hosts on
 * loopback: the old host covers more products than the new one, the domain has a stale record of
 * each kind (a target without an address, a target where nothing listens) and a priority/weight
 * pair, the old host serves three machines cloned from one image. The same check passes once the
 * new host covers the same groups.
 */
@EnabledIfEnvironmentVariable(named = "DNS_PORT", matches = "\\d+")
final class MigrationCheckBindTest {
  private static final String ZONE = "corp.test";
  private static final String DOMAIN = "mig.corp.test";
  private static final Guid CLONED = Guid.parse("c10e0000-0000-4000-8000-000000000001");

  private final List<CloneEvent> clones = new CopyOnWriteArrayList<>();
  private final List<KmsTestHost> hosts = new ArrayList<>();
  private int deadPort;

  @BeforeEach
  void records() throws Exception {
    TestDnsServer.clearSrv(ZONE, DOMAIN);
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort(); // closed again: nothing listens there
    }
    TestDnsServer.setA(ZONE, "kms-old.mig.corp.test", "127.0.0.1");
    TestDnsServer.setA(ZONE, "kms-new.mig.corp.test", "127.0.0.1");
    TestDnsServer.setA(ZONE, "kms-dead.mig.corp.test", "127.0.0.1");
    TestDnsServer.clearA(ZONE, "kms-gone.mig.corp.test");
  }

  @AfterEach
  void stop() {
    hosts.forEach(KmsTestHost::close);
  }

  private KmsTestHost start(long seed, String... groups) {
    KmsTestHost.Builder b =
        KmsTestHost.builder()
            .seed(seed)
            .host(
                h ->
                    h.listener(
                        new HostListener() {
                          @Override
                          public void onRequest(RequestEvent event) {}

                          @Override
                          public void onClone(CloneEvent event) {
                            clones.add(event);
                          }
                        }));
    if (groups.length > 0) {
      b.hostKeyGroups(groups);
    }
    KmsTestHost h = b.start();
    hosts.add(h);
    return h;
  }

  private static MigrationReport check(KmsTestHost old, KmsTestHost neu) {
    return MigrationCheck.builder()
        .oldHost(new InetSocketAddress("127.0.0.1", old.port()))
        .newHost(new InetSocketAddress("127.0.0.1", neu.port()))
        .domain("_vlmcs._tcp." + DOMAIN) // the runbook's spelling
        .locator(
            SrvLocator.builder().server(TestDnsServer.address(), TestDnsServer.TIMEOUT).build())
        .clock(old.time())
        .build()
        .run();
  }

  private static Check check(MigrationReport report, String id) {
    return report.check(id).orElseThrow(() -> new AssertionError(id + " missing: " + report));
  }

  private static boolean anyDetail(Check c, String text) {
    return c.details().stream().anyMatch(d -> d.contains(text));
  }

  @Test
  void oldCoversMore_failNamingTheProduct_staleFlagged_sharesRight_thenPassesWhenCovered() {
    KmsTestHost old = start(1);
    KmsTestHost neu = start(2, "windows-server-2025", "office-ltsc-2024");
    TestDnsServer.addSrv(ZONE, DOMAIN, 0, 60, old.port(), "kms-old.mig.corp.test");
    TestDnsServer.addSrv(ZONE, DOMAIN, 0, 20, neu.port(), "kms-new.mig.corp.test");
    TestDnsServer.addSrv(ZONE, DOMAIN, 10, 0, 1688, "kms-gone.mig.corp.test");
    TestDnsServer.addSrv(ZONE, DOMAIN, 20, 0, deadPort, "kms-dead.mig.corp.test");

    // Three machines from one image, and two ordinary ones.
    for (String name : List.of("pc-a.corp.test", "pc-b.corp.test", "pc-c.corp.test")) {
      ActivationResult r =
          old.activate(
              TestProduct.WINDOWS_11_PRO.request().cmid(CLONED).workstationName(name).build());
      assertTrue(r instanceof ActivationResult.BelowThreshold, r.toString());
    }
    old.activate(TestProduct.WINDOWS_11_PRO, 2);
    Map<Guid, Integer> countsBefore = old.host().state(old.now()).ledger().counts();

    MigrationReport report = check(old, neu);

    assertFalse(report.passed(), report.toString());
    Check coverage = check(report, "coverage");
    assertEquals(CheckStatus.FAIL, coverage.status());
    assertTrue(coverage.summary().contains("Office LTSC 2021"), coverage.summary());
    assertTrue(
        anyDetail(
            coverage,
            "Office LTSC 2021 (86d50b16-4808-41af-b83b-b338274318b2): old granted, new refused"),
        coverage.details().toString());

    Check records = check(report, "dns.records");
    assertEquals(CheckStatus.WARN, records.status(), records.toString());
    assertTrue(records.summary().contains("2 stale"), records.summary());
    assertTrue(
        anyDetail(
            records,
            "kms-gone.mig.corp.test:1688 priority 10 weight 0 [neither old nor new] addresses none"),
        records.details().toString());
    assertTrue(anyDetail(records, "STALE: no address"), records.details().toString());
    assertTrue(
        anyDetail(records, "kms-dead.mig.corp.test:" + deadPort), records.details().toString());
    assertTrue(
        anyDetail(records, "STALE: nothing answers KMS at 127.0.0.1:" + deadPort),
        records.details().toString());
    // RFC 2782 shares of weights 60 and 20, averaged over rotations: 60.5/81 and 20.5/81.
    assertTrue(
        anyDetail(
            records,
            "kms-old.mig.corp.test:"
                + old.port()
                + " priority 0 weight 60 [old] addresses 127.0.0.1, first choice 74.7%"),
        records.details().toString());
    assertTrue(
        anyDetail(
            records,
            "kms-new.mig.corp.test:"
                + neu.port()
                + " priority 0 weight 20 [new] addresses 127.0.0.1, first choice 25.3%"),
        records.details().toString());

    Check order = check(report, "dns.order");
    assertEquals(CheckStatus.PASS, order.status(), order.toString());
    assertTrue(order.summary().contains("first choice: old 74.7%, new 25.3%"), order.summary());

    assertEquals(CheckStatus.PASS, check(report, "host.old").status());
    assertTrue(check(report, "host.old").summary().contains("(kmsj)"));
    assertEquals(CheckStatus.PASS, check(report, "identity").status());

    // The clone: one event, flagged in the ledger with every name; it counted once.
    assertEquals(1, clones.size(), clones.toString());
    assertEquals(
        List.of("pc-a.corp.test", "pc-b.corp.test"),
        clones.get(0).suspect().workstationNames(),
        "the second name made the CMID a clone");
    assertEquals(
        List.of(CLONED + " [pc-a.corp.test, pc-b.corp.test, pc-c.corp.test]"),
        CloneDetection.find(
                old.host().state(old.now()).ledger(), old.now(), CloneDetection.DEFAULT_WINDOW)
            .stream()
            .map(c -> c.cmid() + " " + c.workstationNames())
            .toList());
    assertEquals(
        countsBefore,
        old.host().state(old.now()).ledger().counts(),
        "the check's probes counted nothing on the kmsj host");

    // The new host covers the same groups now: the same check passes.
    KmsTestHost covering = start(3);
    TestDnsServer.clearSrv(ZONE, DOMAIN);
    TestDnsServer.addSrv(ZONE, DOMAIN, 0, 60, old.port(), "kms-old.mig.corp.test");
    TestDnsServer.addSrv(ZONE, DOMAIN, 0, 20, covering.port(), "kms-new.mig.corp.test");
    MigrationReport passing = check(old, covering);
    assertTrue(passing.passed(), passing.toString());
    assertEquals(CheckStatus.PASS, check(passing, "coverage").status());
    assertEquals(CheckStatus.PASS, check(passing, "dns.records").status());
    assertEquals(0, passing.count(CheckStatus.FAIL));
  }
}
